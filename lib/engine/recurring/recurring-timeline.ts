import { Cron } from 'croner';

/** The timing of a schedule, as its definition keeps it (times in epoch ms). */
export interface RecurringTiming {
  cron?: string;
  every?: number;
  timezone?: string;
  startAt?: number;
  endAt?: number;
}

/** Bounds the walk over missed cron occurrences (a per-second cron after a long downtime). */
const MAX_WALK = 100_000;

/**
 * When a schedule's occurrences fall: croner computes cron times (time zones and DST: a time in the hour that a
 * spring-forward skips falls at the first valid time after it, one in the hour a fall-back repeats falls once);
 * `every` counts intervals on the grid through a known occurrence, so an upsert never moves the grid.
 */
export class RecurringTimeline {
  private readonly cron: Cron | undefined;

  constructor(private readonly timing: RecurringTiming) {
    // No function given: croner only computes times, it starts no timer.
    this.cron =
      timing.cron === undefined
        ? undefined
        : new Cron(timing.cron, { timezone: timing.timezone, mode: '5-or-6-parts' });
  }

  /** The first occurrence after `now` (at `startAt` if that lies ahead); null if none before `endAt`. */
  first(now: number): number | null {
    const { startAt, every } = this.timing;
    if (every === undefined) return this.within(this.cronAfter(Math.max(now, (startAt ?? -Infinity) - 1)));
    if (startAt === undefined) return this.within(now + every);
    return this.within(startAt >= now ? startAt : this.gridAfter(now, startAt));
  }

  /** The first occurrence strictly after `t`; `on` is an occurrence (the grid of `every`). Null: none before `endAt`. */
  after(t: number, on: number): number | null {
    if (this.timing.every === undefined)
      return this.within(this.cronAfter(Math.max(t, (this.timing.startAt ?? -Infinity) - 1)));
    return this.within(t < on ? on : this.gridAfter(t, on));
  }

  /**
   * Whether `at` is an occurrence of this timing and `next` the one after it (null: none), as every step leaves a
   * schedule. Not so for an occurrence added under a timing an upsert has since changed.
   */
  follows(at: number, next: number | null): boolean {
    const { startAt, every } = this.timing;
    if (startAt !== undefined && at < startAt) return false;
    const isOccurrence = every === undefined ? this.after(at - 1, at) === at : this.within(at) === at;
    return isOccurrence && this.after(at, at) === next;
  }

  /** The last occurrence at or before `now`, from occurrence `from` (which is at or before it). */
  latest(from: number, now: number): number {
    const { every } = this.timing;
    if (every !== undefined) return from + Math.floor((now - from) / every) * every;
    let at = from;
    for (let i = 0; i < MAX_WALK; i++) {
      const next = this.after(at, at);
      if (next === null || next > now) break;
      at = next;
    }
    return at;
  }

  /** How many occurrences fall in [from, now], counting at most `max` + 1. */
  countUntil(from: number, now: number, max: number): number {
    const { every } = this.timing;
    if (every !== undefined) return Math.min(max + 1, Math.floor((now - from) / every) + 1);
    let count = 0;
    for (let at: number | null = from; at !== null && at <= now && count <= max; at = this.after(at, at)) count++;
    return count;
  }

  private gridAfter(t: number, on: number): number {
    const every = this.timing.every!;
    return on + (Math.floor((t - on) / every) + 1) * every;
  }

  private cronAfter(t: number): number | null {
    return this.cron!.nextRun(new Date(t))?.getTime() ?? null;
  }

  private within(at: number | null): number | null {
    const { endAt } = this.timing;
    return at === null || (endAt !== undefined && at > endAt) ? null : at;
  }
}

/** Whether croner can read the expression, and it fires at all (not '0 0 30 2 *'); the reason if not. */
export function cronProblem(cron: string): string | undefined {
  try {
    const first = new Cron(cron, { mode: '5-or-6-parts' }).nextRun(new Date(0));
    return first === null || first === undefined ? 'it never fires (no date has those fields)' : undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether the platform knows the IANA time zone (Intl, which croner uses too). */
export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
