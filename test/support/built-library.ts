import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** lib/ compiled to JavaScript, for child processes. */
export interface BuiltLibrary {
  /** The folder that holds the compiled lib/. */
  dir: string;
  /** The file URL of a compiled module, by its path in lib/ ("stores/redis/redis-task.store.js"). */
  module(path: string): string;
}

const built = new Map<string, BuiltLibrary>();

/**
 * Compiles lib/ to JavaScript (once per test file, and only if the copy is older than a source). Into a private
 * copy per `name` (gitignored .tmp/), not dist/: `npm run build` deletes dist/ first, and another suite building
 * at the same time must not rewrite the files under our workers.
 */
export function builtLibrary(name: string): BuiltLibrary {
  let library = built.get(name);
  if (library === undefined) {
    const dir = join(ROOT, `.tmp/${name}-test-dist`);
    build(dir);
    library = { dir, module: (path) => pathToFileURL(join(dir, path)).href };
    built.set(name, library);
  }
  return library;
}

function build(out: string): void {
  const index = join(out, 'index.js');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(ROOT, 'lib'))) return;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const started = Date.now();
  const flags = ['--outDir', out, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'];
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...flags], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    // Type errors still emit JavaScript; the working tree may hold someone's unfinished file elsewhere in lib/.
    if (!existsSync(index) || statSync(index).mtimeMs < started - 1_000) throw error;
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    console.warn(`lib/ has type errors; testing the JavaScript tsc emitted anyway:\n${output}`);
  }
}
