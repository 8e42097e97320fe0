import type { TaskQueueLogger } from '../../lib/interfaces/task-queue-logger.interface.js';
import { measureClockOffset } from '../../lib/stores/shared/clock-offset.js';

/** A logger that keeps its warnings. */
function recordingLogger(): TaskQueueLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, log: ignore, warn: (message: string) => warnings.push(message), error: ignore };
}

/** A server clock: this machine's shifted by `offsetMs`. */
const shiftedBy = (offsetMs: number) => async () => Date.now() + offsetMs;

describe('the Redis clock-skew warning', () => {
  it("says Redis's clock is behind when it is behind, without a minus sign", async () => {
    const logger = recordingLogger();
    const offset = await measureClockOffset('Redis', shiftedBy(-5_000), logger);
    expect(offset).toBeLessThan(-4_000);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/^Redis's clock is \d+ ms behind this machine's;/);
  });

  it("says Redis's clock is ahead when it is ahead", async () => {
    const logger = recordingLogger();
    const offset = await measureClockOffset('Redis', shiftedBy(5_000), logger);
    expect(offset).toBeGreaterThan(4_000);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/^Redis's clock is \d+ ms ahead of this machine's;/);
  });

  it('says nothing when the clocks agree', async () => {
    const logger = recordingLogger();
    await expect(measureClockOffset('Redis', shiftedBy(0), logger)).resolves.toBe(0);
    expect(logger.warnings).toEqual([]);
  });
});
