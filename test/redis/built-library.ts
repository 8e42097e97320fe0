import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
/**
 * The library compiled for child processes. A private copy (gitignored .tmp/), not dist/: `npm run build`
 * deletes dist/ first, and another suite building at the same time must not pull it from under our workers.
 */
const OUT = join(ROOT, '.tmp/redis-test-dist');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let built: string | undefined;

/**
 * Compiles lib/ to JavaScript (once per test file, and only if the copy is older than a source); returns the
 * file URL of its index.js.
 */
export function builtLibrary(): string {
  built ??= build();
  return built;
}

function build(): string {
  const index = join(OUT, 'index.js');
  if (!existsSync(index) || statSync(index).mtimeMs < newest(join(ROOT, 'lib'))) {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const started = Date.now();
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', OUT, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch (error) {
      // Type errors still emit JavaScript; the working tree may hold someone's unfinished file elsewhere in lib/.
      if (!existsSync(index) || statSync(index).mtimeMs < started - 1_000) throw error;
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
      console.warn(`lib/ has type errors; testing the JavaScript tsc emitted anyway:\n${output}`);
    }
  }
  return pathToFileURL(index).href;
}
