#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, install the tarball with fastify and typescript in an
# empty folder, compile a file that imports `portcullis` and `portcullis/accounts` with plain
# `tsc --strict` (skipLibCheck off, noUncheckedIndexedAccess on) and run it with plain `node`.
# None of the optional peers (pg, ioredis, sharp, nodemailer, Scalar) is installed there. The
# `portcullis` bin runs there on a config module of the consumer's own. Then examples/notes is
# installed, type-checked, tested and served the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
# The example app to install from the tarball, test and serve (CI names it: .ci/run).
example="${1:-examples/notes}"
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

# The bin as npm links it: the consumer's config, its database, the accounts' migrations only.
cat > portcullis.config.js <<'JS'
import { defineConfig } from 'portcullis'
import { accountsMigrations } from 'portcullis/accounts'
export default defineConfig({ database: 'data/consumer.sqlite3', migrations: [accountsMigrations] })
JS
npx --no-install portcullis migrate | tail -n 1
PORTCULLIS_SUPERUSER_PASSWORD=Corr3ct-Horse-Battery npx --no-install portcullis createsuperuser \
  --no-input --username root --email root@example.com
if [ -e data/secret_key ]; then
  echo "the bin wrote data/secret_key" >&2
  exit 1
fi
echo "pack-check: the minimal consumer ok"

# examples/notes as a user has it: its own package.json with the tarball for `portcullis`, plain
# `tsc`, its tests with `node --test`, the `portcullis` command for migrations, plain `node` to serve.
cp -r "$repo/$example" "$work/notes"
rm -rf "$work/notes/node_modules" "$work/notes/dist" "$work/notes/package-lock.json"
cd "$work/notes"
npm pkg set "dependencies.portcullis=file:$work/$tarball" \
  "dependencies.fastify=$(cd "$repo" && locked fastify)" \
  "dependencies.kysely=$(cd "$repo" && locked kysely)" \
  "devDependencies.typescript=$(cd "$repo" && locked typescript)" \
  "devDependencies.@types/node=$(cd "$repo" && locked @types/node)"
npm install --no-audit --no-fund --loglevel=error
npx --no-install tsc -p tsconfig.json
node --test dist/test/
export SECRET_KEY="example-check-$(node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))")"
export DATABASE_URL="$work/notes/notes.sqlite3"
npx --no-install portcullis migrate --config dist/portcullis.config.js
port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
PORT=$port node dist/src/server.js > "$work/notes/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")
notes=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/notes/")
kill "$server"; wait "$server" || true
echo "example under plain node: /health $health, anonymous /api/notes/ $notes"
if [ "$health" != 200 ] || [ "$notes" != 401 ]; then
  cat "$work/notes/server.log" >&2
  exit 1
fi
echo "pack-check: ok"
