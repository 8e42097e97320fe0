// Builds the package twice: ESM for Nest 12 apps, CommonJS for `nest new` CommonJS apps (Nest 11 and 12).
// Builds into a fresh folder and swaps it in, so a failed or concurrent build never leaves dist/ missing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

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
