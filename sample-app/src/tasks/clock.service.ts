import { Injectable } from '@nestjs/common';

/** Times relative to when the app started, for the console output. */
@Injectable()
export class Clock {
  private readonly startedAt = Date.now();

  /** `+1.234s` for an epoch-ms time (default now). */
  stamp(at: number = Date.now()): string {
    return `+${((at - this.startedAt) / 1000).toFixed(3)}s`.padStart(9);
  }
}
