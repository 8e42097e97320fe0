import { CallBatcher } from '../../lib/stores/shared/call-batcher.js';

/** A send that records its batches and answers each when told. */
function gate<I>() {
  const batches: I[][] = [];
  const pending: (() => void)[] = [];
  const send = (items: I[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve) => pending.push(() => resolve(items.map((item) => `ok:${String(item)}`))));
  };
  return { batches, send, answerNext: () => pending.shift()!() };
}

describe('CallBatcher', () => {
  it('sends the calls of one window together, each caller getting its own answer', async () => {
    const { batches, send, answerNext } = gate<number>();
    const batcher = new CallBatcher({ window: 'microtasks', maxWeight: 100 }, send);
    const answers = [batcher.push(1), batcher.push(2), batcher.push(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3]]);
    answerNext();
    await expect(Promise.all(answers)).resolves.toEqual(['ok:1', 'ok:2', 'ok:3']);
  });

  it('splits by weight, a call heavier than the limit going whole', async () => {
    const { batches, send } = gate<string[]>();
    const weight = (args: string[]) => args.length;
    const batcher = new CallBatcher({ window: 'event-loop-turn', maxWeight: 3, weight }, send);
    for (const args of [['a', 'b'], ['c'], ['d', 'e'], ['f', 'g', 'h', 'i']]) void batcher.push(args);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches.map((batch) => batch.flat().join(''))).toEqual(['abc', 'de', 'fghi']);
  });

  it('holds calls back while maxInFlight batches are on their way, then sends them together', async () => {
    const { batches, send, answerNext } = gate<number>();
    const batcher = new CallBatcher({ window: 'event-loop-turn', maxWeight: 100, maxInFlight: 1 }, send);
    const first = batcher.push(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.push(2), batcher.push(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    answerNext();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2, 3]]);
    answerNext();
    await expect(Promise.all(later)).resolves.toEqual(['ok:2', 'ok:3']);
  });

  it('fails every call of a batch whose send fails, and drain() waits for all', async () => {
    const batcher = new CallBatcher<number, string>({ window: 'microtasks', maxWeight: 10 }, () =>
      Promise.reject(new Error('down')),
    );
    const calls = [batcher.push(1), batcher.push(2)];
    await batcher.drain();
    for (const call of calls) await expect(call).rejects.toThrow('down');
  });
});
