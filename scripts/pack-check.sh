#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, install the tarball with fastify and typescript in an
# empty folder, compile a file that imports `portcullis` and `portcullis/accounts` with plain
# `tsc --strict` (skipLibCheck off, noUncheckedIndexedAccess on) and run it with plain `node`.
# None of the optional peers (pg, ioredis, sharp, nodemailer, Scalar) is installed there.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-pack-XXXXXX")
trap 'rm -rf "$work"' EXIT

# The versions this repo's lockfile has, so the consumer compiles against what the tests ran on.
locked() { node -p "require('./package-lock.json').packages['node_modules/$1'].version"; }

npm run -s build
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
if tar -tzf "$work/$tarball" | grep -E '^package/(test|bench|src)/|\.test\.|tsbuildinfo'; then
  echo "the tarball ships tests, benches, sources or build state (above)" >&2
  exit 1
fi

mkdir "$work/consumer"
cd "$work/consumer"
npm init -y >/dev/null
npm pkg set type=module
npm install --no-audit --no-fund --loglevel=error "$work/$tarball" \
  "fastify@$(cd "$repo" && locked fastify)" \
  "typescript@$(cd "$repo" && locked typescript)" \
  "@types/node@$(cd "$repo" && locked @types/node)"
echo "installed: $(du -sh node_modules | cut -f1), $(npm ls --all --parseable 2>/dev/null | tail -n +2 | wc -l) packages"

cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "types": ["node"]
  },
  "files": ["app.ts"]
}
JSON
cp "$repo/scripts/pack-check-app.ts" app.ts
npx --no-install tsc -p tsconfig.json
out=$(node app.js)
echo "$out"
expected='anonymous 401, token 200, forced 200, 1 profile'
if [ "$out" != "$expected" ]; then
  echo "expected: $expected" >&2
  exit 1
fi
echo "pack-check: ok"
