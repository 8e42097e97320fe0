import { randomUUID } from 'node:crypto';
import type { StoreSignal } from '../../interfaces/task-store.interface.js';
import { MAX_TIMER_MS } from '../../task-queue.constants.js';

const WAKE_NOW: StoreSignal = Object.freeze({ type: 'wake' });
const RECONNECTED: StoreSignal = Object.freeze({ type: 'wake', reconnected: true });

/**
 * A durable store's signals to its workers. The store's scripts or SQL functions announce on the queue's
 * channel `origin|w[|inMs]` (wake), `origin|c|taskId` (cancel), `origin|l|inMs` (the earliest lease expires
 * then) or `|f|taskId` (a watched task finished). A store emits its own signals to its listeners as soon as the call returns and ignores their echo;
 * other processes' arrive through the channel (pub/sub, LISTEN). Lease expiries become one timer that emits
 * `wake`, so a dead worker's tasks are claimed about `leaseTime` after its last renewal, whatever workers poll.
 */
export class StoreSignalBus {
  /** This store's id in announcements. */
  readonly origin = randomUUID();
  private listeners: ((signal: StoreSignal) => void)[] = [];
  private leaseTimer: NodeJS.Timeout | undefined;
  private leaseTimerAt = Infinity;

  /**
   * @param leaseMarginMs a lease is recovered by the first claim after it expires: wake this much after, not
   * before (each store says how much, and why: its `LEASE_WAKE_MARGIN_MS`)
   */
  constructor(private readonly leaseMarginMs: number) {}

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** A wake-up `inMs` from now (null, undefined or negative: none). */
  wake(inMs: number | null | undefined): void {
    if (inMs === null || inMs === undefined || inMs < 0) return;
    this.emit(inMs === 0 ? WAKE_NOW : { type: 'wake', inMs });
  }

  /** The server is back after an outage: claim at once (workers backing off stop waiting). */
  reconnected(): void {
    this.emit(RECONNECTED);
  }

  cancel(taskId: string): void {
    this.emit({ type: 'cancel', taskId });
  }

  /** A watched task finished (flows: `|f|id`, announced without origin so that every store hears it). */
  finished(taskId: string): void {
    this.emit({ type: 'finished', taskId });
  }

  /** Arms the one lease timer for an expiry `inMs` from now, if it is the earliest known (null or negative: none). */
  watchLease(inMs: number | null): void {
    if (inMs === null || inMs < 0 || this.listeners.length === 0) return;
    const at = Date.now() + inMs + this.leaseMarginMs;
    if (at >= this.leaseTimerAt) return;
    this.armLeaseTimer(at);
  }

  /** An announcement from the channel. */
  receive(message: string): void {
    const first = message.indexOf('|');
    if (first < 0 || message.slice(0, first) === this.origin) return;
    const type = message.charAt(first + 1);
    const rest = message.slice(first + 3);
    if (type === 'w') this.wake(rest === '' ? 0 : Number(rest));
    else if (type === 'c') this.cancel(rest);
    else if (type === 'l') this.watchLease(Number(rest));
    else if (type === 'f') this.finished(rest);
  }

  close(): void {
    clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    this.leaseTimerAt = Infinity;
    this.listeners = [];
  }

  /** Wakes at `at`; past Node's timer limit, wakes at the limit and re-arms for the rest (no early wake). */
  private armLeaseTimer(at: number): void {
    clearTimeout(this.leaseTimer);
    this.leaseTimerAt = at;
    this.leaseTimer = setTimeout(this.onLeaseTimer, Math.min(at - Date.now(), MAX_TIMER_MS));
    this.leaseTimer.unref();
  }

  private readonly onLeaseTimer = (): void => {
    const at = this.leaseTimerAt;
    if (at > Date.now()) return this.armLeaseTimer(at);
    this.leaseTimer = undefined;
    this.leaseTimerAt = Infinity;
    this.emit(WAKE_NOW);
  };

  private emit(signal: StoreSignal): void {
    for (const listener of this.listeners) listener(signal);
  }
}
