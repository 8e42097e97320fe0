import { randomUUID } from 'node:crypto';
import type { StoreSignal } from '../../interfaces/task-store.interface.js';

const WAKE_NOW: StoreSignal = Object.freeze({ type: 'wake' });
/** A lease is recovered by the first claim after it expires: wake a little after, not before. */
const LEASE_MARGIN_MS = 5;

/**
 * The store's signals to its workers. The SQL functions notify the queue's channel with `origin|w`,
 * `origin|w|inMs` (wake) or `origin|c|taskId` (cancel). A store emits its own signals to its listeners as
 * soon as a statement returns and ignores their echo; other processes' arrive through LISTEN. The earliest
 * lease expiry becomes one timer that emits `wake`, so a dead worker's tasks are claimed about `leaseTime`
 * after its last renewal, whatever the workers poll.
 */
export class PostgresSignalBus {
  /** This store's id in notifications. */
  readonly origin = randomUUID();
  private listeners: ((signal: StoreSignal) => void)[] = [];
  private leaseTimer: NodeJS.Timeout | undefined;
  private leaseTimerAt = Infinity;

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** A wake-up `inMs` from now (null or undefined: none). */
  wake(inMs: number | null | undefined): void {
    if (inMs === null || inMs === undefined || inMs < 0) return;
    this.emit(inMs === 0 ? WAKE_NOW : { type: 'wake', inMs });
  }

  cancel(taskId: string): void {
    this.emit({ type: 'cancel', taskId });
  }

  /** Arms the one lease timer for an expiry `inMs` from now, if it is the earliest known. */
  watchLease(inMs: number | null): void {
    if (inMs === null || this.listeners.length === 0) return;
    const at = Date.now() + inMs + LEASE_MARGIN_MS;
    if (at >= this.leaseTimerAt) return;
    clearTimeout(this.leaseTimer);
    this.leaseTimerAt = at;
    this.leaseTimer = setTimeout(() => {
      this.leaseTimer = undefined;
      this.leaseTimerAt = Infinity;
      this.emit(WAKE_NOW);
    }, at - Date.now());
    this.leaseTimer.unref();
  }

  /** A notification from the channel. */
  receive(payload: string): void {
    const first = payload.indexOf('|');
    if (first < 0 || payload.slice(0, first) === this.origin) return;
    const type = payload.charAt(first + 1);
    const rest = payload.slice(first + 3);
    if (type === 'w') this.wake(rest === '' ? 0 : Number(rest));
    else if (type === 'c') this.cancel(rest);
  }

  close(): void {
    clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    this.leaseTimerAt = Infinity;
    this.listeners = [];
  }

  private emit(signal: StoreSignal): void {
    for (const listener of this.listeners) listener(signal);
  }
}
