// One worker process of the scale-out benchmark (bench/scale.bench.mjs): a TaskQueue on the store named by
// argv, a no-op handler, and its count of finished tasks sent to the parent every 50 ms until told to stop.
import { TaskQueue } from '../dist/esm/index.js';
import { openStore } from './scale-stores.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const [storeName, concurrency] = [process.argv[2], Number(process.argv[3])];
let done = 0;
const queue = new TaskQueue({ store: openStore(storeName), concurrency, logger: 'warn' });
queue.registerHandler('job', { execute: () => void done++ });
await queue.start();
const report = setInterval(() => process.send({ done }), 50);
process.send({ ready: true });
process.on('message', async (message) => {
  if (message !== 'stop') return;
  clearInterval(report);
  await queue.close();
  process.send({ done, closed: true });
  process.disconnect();
  reportIfStillOpen(`scale-worker.mjs (${storeName})`);
});
