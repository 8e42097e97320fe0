#!/usr/bin/env bash
# Packs the library as npm would publish it and runs two consumer apps against the tarball: a CommonJS
# Nest 11 app (what `nest new` made until Nest 12) and an ESM Nest 12 app.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
# Copied side by side: the ESM app reuses the CommonJS app's check helper by relative path.
for app in nest11-cjs nest12-esm; do
  cp -r "$root/.ci/fixtures/$app" "$work/$app"
  (cd "$work/$app" && npm ci --silent --no-audit --no-fund && npm install --silent --no-save --no-audit --no-fund "$work/$tarball")
done
node "$work/nest11-cjs/main.js"
node "$work/nest12-esm/main.mjs"
