/** What the in-memory store logs. */
export const InMemoryMessages = {
  droppingPending: (pending: number) =>
    `Dropping ${pending} pending task(s): the in-memory store keeps nothing after the application stops`,
} as const;
