import { Observable, Subject, throttleTime, type Subscription } from 'rxjs';
import type { DashboardScheduler } from './dashboard-queue.js';

/** A server-sent event as Nest's `@Sse()` writes it. */
export interface LiveEvent {
  type: 'change';
  data: string;
}

/** How often the counts are read while a page listens: changes made by other processes show within this. */
export const LIVE_POLL_MS = 500;
/** A change is sent at least this often (a change the counts do not show: progress, another process's retry). */
const REFRESH_EVERY_MS = 5_000;
/** At most one change event per page in this window. */
const THROTTLE_MS = 300;

/**
 * The dashboard's live updates: `change` whenever the queue may look different, from this process's task events
 * at once and from a counts() poll for other processes' work. The poll runs only while a page listens, one
 * for all pages; close() ends every stream (so the server can close). Nest's SSE writes keep-alive comments itself.
 */
export class DashboardLiveStream {
  private readonly changes = new Subject<void>();
  private readonly closing = new Subject<void>();
  private listeners = 0;
  private timer: NodeJS.Timeout | undefined;
  private events: Subscription | undefined;
  private lastCounts = '';
  private lastSent = 0;
  private polling = false;

  constructor(private readonly scheduler: DashboardScheduler) {}

  stream(): Observable<LiveEvent> {
    return new Observable<LiveEvent>((subscriber) => {
      this.attach();
      const changes = this.changes
        .pipe(throttleTime(THROTTLE_MS, undefined, { leading: true, trailing: true }))
        .subscribe(() => subscriber.next({ type: 'change', data: String(Date.now()) }));
      const closing = this.closing.subscribe(() => subscriber.complete());
      return () => {
        changes.unsubscribe();
        closing.unsubscribe();
        this.detach();
      };
    });
  }

  /** Ends every open stream. */
  close(): void {
    this.closing.next();
  }

  private attach(): void {
    if (this.listeners++ > 0) return;
    this.events = this.scheduler.events$.subscribe(() => this.changed());
    this.timer = setInterval(() => void this.poll(), LIVE_POLL_MS);
  }

  private detach(): void {
    if (--this.listeners > 0) return;
    this.events?.unsubscribe();
    clearInterval(this.timer);
    this.timer = undefined;
    this.lastCounts = '';
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const counts = JSON.stringify(await this.scheduler.counts());
      if (counts !== this.lastCounts || Date.now() - this.lastSent >= REFRESH_EVERY_MS) {
        this.lastCounts = counts;
        this.changed();
      }
    } catch {
      // The store is down: the page's own requests say so.
    } finally {
      this.polling = false;
    }
  }

  private changed(): void {
    this.lastSent = Date.now();
    this.changes.next();
  }
}
