/** The chaos run's knobs, from the environment (see README "Chaos run"). CHAOS_SHORT=1: the under-a-minute run CI does. */
export interface ChaosOptions {
  stores: string[];
  /** How long faults are injected, per store. */
  seconds: number;
  tasks: number;
  workers: number;
  concurrency: number;
  leaseTime: number;
  /** How long the run waits, after the faults, for every task to finish. */
  drainSeconds: number;
  seed: number;
}

function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function chaosOptions(): ChaosOptions {
  const short = process.env.CHAOS_SHORT === '1';
  return {
    stores: (process.env.CHAOS_STORES ?? 'redis,postgres').split(',').filter((s) => s !== ''),
    seconds: number('CHAOS_SECONDS', short ? 10 : 75),
    // Under the default retention.maxCount (10,000): every finished task must still be there to be checked.
    tasks: Math.min(9_000, number('CHAOS_TASKS', short ? 600 : 4_000)),
    workers: number('CHAOS_WORKERS', 3),
    concurrency: number('CHAOS_CONCURRENCY', 8),
    leaseTime: number('CHAOS_LEASE_MS', short ? 1_500 : 2_500),
    drainSeconds: number('CHAOS_DRAIN_SECONDS', short ? 15 : 60),
    seed: number('CHAOS_SEED', Math.floor(Math.random() * 2 ** 31)),
  };
}

/** A seeded PRNG (mulberry32): a run is replayed with its CHAOS_SEED, as far as timing allows. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
