import { InvalidTaskOptionsError } from '../../lib/index.js';
import { ObservabilityMessages as M } from '../../lib/observability/observability.messages.js';
import { resolveObservabilityOptions } from '../../lib/observability/observability-options.resolver.js';
import { Messages } from '../../lib/task-queue.messages.js';

describe('resolveObservabilityOptions', () => {
  it('turns true into the defaults and drops false', () => {
    expect(
      resolveObservabilityOptions({ prometheus: true, tracing: false, logging: { levels: { failed: 'warn' } } }),
    ).toEqual({
      health: {},
      prometheus: {},
      openTelemetryMetrics: undefined,
      tracing: undefined,
      logging: { levels: { failed: 'warn' } },
    });
  });

  it.each([
    [{ tracing: 'yes' }, Messages.invalidOption('tracing', M.featureExpected(), 'yes')],
    [{ prometheus: { prefix: 'a-b' } }, Messages.invalidOption('prometheus.prefix', M.metricPrefixExpected(), 'a-b')],
    [{ prometheus: { storeTimeout: -1 } }, Messages.invalidOption('prometheus.storeTimeout', M.msExpected(), -1)],
    [
      { openTelemetryMetrics: { latenessBuckets: [] } },
      Messages.invalidOption('openTelemetryMetrics.latenessBuckets', M.bucketsExpected(), []),
    ],
    [{ logging: { args: 'all' } }, Messages.invalidOption('logging.args', M.logArgsExpected(), 'all')],
    [
      { health: { maxClaimFailures: 1.5 } },
      Messages.invalidOption('health.maxClaimFailures', M.countFromOneExpected(), 1.5),
    ],
  ])('refuses %j, saying what it expected', (options, message) => {
    expect(() => resolveObservabilityOptions(options as never)).toThrow(new InvalidTaskOptionsError(message));
  });
});
