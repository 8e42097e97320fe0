import { Injectable } from '@nestjs/common';

type EventClass<E> = new (...args: any[]) => E;
type EventListener<E> = (event: E) => Promise<void> | void;

/**
 * A minimal in-process event bus. `publish` waits for every listener, so when a request that published
 * `UserRegistered` returns, the tasks its listeners schedule are already in the queue.
 */
@Injectable()
export class EventBus {
  private readonly listeners = new Map<unknown, EventListener<any>[]>();

  on<E extends object>(type: EventClass<E>, listener: EventListener<E>): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  async publish<E extends object>(event: E): Promise<void> {
    const listeners = this.listeners.get(event.constructor) ?? [];
    await Promise.all(listeners.map((listener) => listener(event)));
  }
}
