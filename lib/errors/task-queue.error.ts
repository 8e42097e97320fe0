/** Base of every error this library throws, so callers can catch them all at once. */
export class TaskQueueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
