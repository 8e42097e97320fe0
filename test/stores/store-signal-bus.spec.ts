import { jest } from '@jest/globals';
import type { StoreSignal } from '../../lib/interfaces/task-store.interface.js';
import { StoreSignalBus } from '../../lib/stores/shared/store-signal-bus.js';
import { MAX_TIMER_MS } from '../../lib/task-queue.constants.js';

describe('StoreSignalBus lease timer (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('wakes when a lease expires after longer than a Node timer can wait, not at once', () => {
    const bus = new StoreSignalBus(5);
    const signals: StoreSignal[] = [];
    bus.subscribe((signal) => signals.push(signal));
    const inMs = MAX_TIMER_MS + 60_000;
    bus.watchLease(inMs);
    jest.advanceTimersByTime(1_000);
    expect(signals).toEqual([]);
    jest.advanceTimersByTime(inMs + 5 - 1_001);
    expect(signals).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(signals).toEqual([{ type: 'wake' }]);
    bus.close();
  });

  it('an earlier expiry replaces a later one', () => {
    const bus = new StoreSignalBus(0);
    const signals: StoreSignal[] = [];
    bus.subscribe((signal) => signals.push(signal));
    bus.watchLease(MAX_TIMER_MS * 2);
    bus.watchLease(100);
    jest.advanceTimersByTime(100);
    expect(signals).toEqual([{ type: 'wake' }]);
    bus.close();
  });
});
