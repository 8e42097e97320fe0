import type { StoreSignalBus } from '../shared/store-signal-bus.js';
import type { PostgresRunner } from './postgres-runner.js';

/** At most this often (and every leaseTime / 4, if that is sooner), claims recover expired leases first. */
const MAX_RECOVERY_INTERVAL_MS = 1_000;

/**
 * Recovers leases that ran out (their worker died or stalled), on the claims of any worker, at most every
 * min(1 s, leaseTime / 4): a claim then finds their tasks pending again.
 */
export class PostgresLeaseRecovery {
  private nextAt = 0;
  /** When the earliest lease the last recovery saw runs out (Infinity: none). */
  private expiryAt = Infinity;

  constructor(
    private readonly runner: PostgresRunner,
    private readonly signals: StoreSignalBus,
    private readonly leaseTime: number,
    /** Tasks were made claimable again. */
    private readonly recovered: (count: number) => void,
  ) {}

  /** Before a claim: recovers expired leases if it is time to. */
  async beforeClaim(): Promise<void> {
    const now = Date.now();
    if (now < this.nextAt) {
      // A lease ran out (its timer's wake may be this very claim) but recovery ran too recently to look again:
      // wake once it may, or the task waits for the safety poll.
      if (this.expiryAt <= now) this.signals.watchLease(this.nextAt - now);
      return;
    }
    this.nextAt = now + Math.min(MAX_RECOVERY_INTERVAL_MS, this.leaseTime / 4);
    type Row = { recovered: number; wake_ms: number | null; next_expiry_ms: number | null };
    const [row] = await this.runner.run<Row>('claim', 'recover', [this.signals.origin]);
    if (row!.recovered > 0) this.recovered(row!.recovered);
    this.signals.wake(row!.wake_ms);
    this.expiryAt = row!.next_expiry_ms === null ? Infinity : Date.now() + row!.next_expiry_ms;
    this.signals.watchLease(row!.next_expiry_ms);
  }
}
