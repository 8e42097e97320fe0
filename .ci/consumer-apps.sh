#!/usr/bin/env bash
# Packs the library as npm would publish it (prepack builds it) and runs two consumer apps against the tarball:
# - nest12-esm: an ESM Nest 12 app with none of the optional peers; its TypeScript file type-checks the root with
#   skipLibCheck off (the root's types must not need a driver's or observability peer's), and it imports the root
#   and the subpaths. Its test/ holds the README's vitest example (vitest pinned; no install scripts), which it
#   type-checks and runs with fake timers against the tarball. It mounts the dashboard on Express.
# - nest11-cjs: a CommonJS Nest 11 app (what `nest new` made until Nest 12) with every optional peer; it
#   type-checks the subpaths as CommonJS (node10, node16) and ESM, and runs on the in-memory, Redis and PostgreSQL
#   stores with Prometheus metrics, taken from the subpaths through require(), and mounts the dashboard
#   (`nest-task-queue/dashboard`) on Express. Both check the dashboard over HTTP (nest11-cjs/dashboard-check.js):
#   a refusing guard, the page and its script, the JSON API, an action with the CSRF pair.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
# The package ships dist/ alone: source maps would point at sources it does not hold.
if tar -tzf "$work/$tarball" | grep -E '\.map$|\.tsbuildinfo$|^package/(lib|test)/'; then
  echo "The tarball holds files it should not (above)" >&2
  exit 1
fi
# Copied side by side: the ESM app reuses the CommonJS app's check helper by relative path.
for app in nest11-cjs nest12-esm; do
  cp -r "$root/.ci/fixtures/$app" "$work/$app"
  (cd "$work/$app" && npm ci --silent --no-audit --no-fund && npm install --silent --no-save --no-audit --no-fund "$work/$tarball")
done
(cd "$work/nest12-esm" && npx tsc -p tsconfig.json)
(cd "$work/nest11-cjs" && npx tsc -p tsconfig.json && npx tsc -p tsconfig.node16.json)
node "$work/nest11-cjs/main.js"
node "$work/nest12-esm/main.mjs"
(cd "$work/nest12-esm" && npx tsc -p test/tsconfig.json && npm test --silent)
