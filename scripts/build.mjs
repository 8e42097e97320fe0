// Builds the package twice: ESM for Nest 12 apps, CommonJS for `nest new` CommonJS apps (Nest 11 and 12).
// Builds into a fresh folder and swaps it in, so a failed or concurrent build never leaves dist/ missing.
// `--if-changed` (npm start) skips the build when dist/ is newer than every input.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['lib', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.cjs.json', 'scripts/build.mjs'];
// Written last, and dated when the build started: an input saved during a build is newer, so it builds again.
const MARKER = 'dist/cjs/package.json';

const newest = (path) =>
  statSync(path).isDirectory()
    ? Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))))
    : statSync(path).mtimeMs;

if (process.argv.includes('--if-changed') && existsSync(MARKER)) {
  if (statSync(MARKER).mtimeMs >= Math.max(...INPUTS.map(newest))) {
    console.log('dist/ is up to date with lib/: not rebuilt');
    process.exit(0);
  }
}

const started = new Date();
const next = `dist.next-${process.pid}`;
const tsc = (project, outDir) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--outDir', outDir], {
    stdio: 'inherit',
  });

try {
  tsc('tsconfig.build.json', `${next}/esm`);
  tsc('tsconfig.cjs.json', `${next}/cjs`);
  // The root package.json says "type": "module"; this marks the CommonJS half as such.
  mkdirSync(`${next}/cjs`, { recursive: true });
  writeFileSync(`${next}/cjs/package.json`, '{ "type": "commonjs" }\n');
  utimesSync(`${next}/cjs/package.json`, started, started);
  const old = `dist.old-${process.pid}`;
  try {
    renameSync('dist', old);
  } catch {
    // no previous build
  }
  renameSync(next, 'dist');
  rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(next, { recursive: true, force: true });
}
