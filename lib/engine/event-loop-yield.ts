import { MessageChannel } from 'node:worker_threads';

/**
 * Runs callbacks after pending I/O and timers get their turn, like setImmediate, but through a
 * MessageChannel, which test fake timers do not replace: the engine keeps moving under jest.useFakeTimers().
 */
export class EventLoopYield {
  private channel: MessageChannel | undefined;
  private queue: (() => void)[] = [];

  run(callback: () => void): void {
    if (this.channel === undefined) {
      this.channel = new MessageChannel();
      this.channel.port1.on('message', this.flush);
    }
    this.queue.push(callback);
    if (this.queue.length === 1) {
      // Referenced only while a callback waits, so an idle engine never keeps the process alive.
      this.channel.port1.ref();
      this.channel.port2.postMessage(null);
    }
  }

  close(): void {
    this.channel?.port1.close();
    this.channel = undefined;
    this.queue = [];
  }

  private readonly flush = (): void => {
    const callbacks = this.queue;
    this.queue = [];
    this.channel?.port1.unref();
    for (const callback of callbacks) callback();
  };
}
