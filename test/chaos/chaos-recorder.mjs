// The chaos run's handler, in each worker (a recorder of fixtures/worker-app.mjs): appends every start, end and
// abort to one log file with a synchronous write, so a line written is kept through a kill -9, then acts as the
// task's args say: fail its first attempts, outlast its timeout ignoring the signal, return what JSON cannot keep.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const RESULTS = {
  bigint: () => ({ total: 10n ** 20n }),
  nul: () => 'nul\u0000inside',
  surrogate: () => ({ text: 'lone \ud800 half' }),
};

export function openRecorder({ file }) {
  let runs = 0;
  const log = (event) => appendFileSync(file, `${JSON.stringify({ pid: process.pid, t: Date.now(), ...event })}\n`);
  return {
    async record(args, ctx) {
      const base = { run: ++runs, id: ctx.taskId, attempt: ctx.attempt };
      log({ e: 'start', ...base });
      ctx.signal.addEventListener('abort', () => log({ e: 'abort', ...base }), { once: true });
      try {
        if (ctx.attempt <= (args.failUntil ?? 0)) {
          throw new Error(args.hostileError ? 'refused \u0000 with a lone \udc00' : 'a random failure');
        }
        await sleep(ctx.attempt <= (args.hangUntil ?? 0) ? args.hangMs : args.ms);
        log({ e: 'end', ok: true, ...base });
        return RESULTS[args.result]?.();
      } catch (error) {
        log({ e: 'end', ok: false, ...base });
        throw error;
      }
    },
    close: async () => undefined,
  };
}
