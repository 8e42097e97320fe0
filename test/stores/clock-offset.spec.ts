import type { Redis } from 'ioredis';
import type { TaskQueueLogger } from '../../lib/interfaces/task-queue-logger.interface.js';
import { measureClockOffset } from '../../lib/stores/redis/redis-clock.js';

/** A logger that keeps its warnings. */
function recordingLogger(): TaskQueueLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, log: ignore, warn: (message: string) => warnings.push(message), error: ignore };
}

/** A Redis whose TIME answers this machine's clock shifted by `offsetMs`. */
function redisShiftedBy(offsetMs: number): Redis {
  const time = async () => {
    const micros = Math.round((Date.now() + offsetMs) * 1000);
    return [String(Math.floor(micros / 1e6)), String(micros % 1e6)];
  };
  return { time } as unknown as Redis;
}

describe('the Redis clock-skew warning', () => {
  it("says Redis's clock is behind when it is behind, without a minus sign", async () => {
    const logger = recordingLogger();
    const offset = await measureClockOffset(redisShiftedBy(-5_000), logger);
    expect(offset).toBeLessThan(-4_000);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/^Redis's clock is \d+ ms behind this machine's;/);
  });

  it("says Redis's clock is ahead when it is ahead", async () => {
    const logger = recordingLogger();
    const offset = await measureClockOffset(redisShiftedBy(5_000), logger);
    expect(offset).toBeGreaterThan(4_000);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/^Redis's clock is \d+ ms ahead of this machine's;/);
  });

  it('says nothing when the clocks agree', async () => {
    const logger = recordingLogger();
    await expect(measureClockOffset(redisShiftedBy(0), logger)).resolves.toBe(0);
    expect(logger.warnings).toEqual([]);
  });
});
