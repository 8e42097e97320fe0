import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Messages } from '../../lib/task-queue.messages.js';
import { builtLibrary } from '../support/built-library.js';
import { describeMultiProcess } from '../support/multi-process-suite.js';
import { redisTarget } from './redis.store-target.js';

await describeMultiProcess(redisTarget, () => {
  it('says which package to install when ioredis is missing', () => {
    // The built library, copied where no node_modules can be found: the store loads ioredis only in init().
    const dir = mkdtempSync(join(tmpdir(), 'ntq-no-ioredis-'));
    try {
      cpSync(builtLibrary(redisTarget.id).dir, dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      const script = `
        const { RedisTaskStore } = await import(${JSON.stringify(join(dir, redisTarget.module))});
        const store = new RedisTaskStore({ connection: { host: '127.0.0.1', port: 6379 } });
        await store.init({ retention: { maxCount: 1, maxAge: 1 }, logger: console }).then(
          () => console.log('started'),
          (error) => console.log(error.name + ': ' + error.message),
        );`;
      const env = { ...process.env, NODE_OPTIONS: '' };
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        env,
      }).toString();
      expect(output.trim()).toBe(`TaskQueueError: ${Messages.missingDriver('RedisTaskStore', 'ioredis')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
