// After `tsc -p tsconfig.build.json`: copy what the sources read at run time (page assets, the
// password list) next to the built JS, make package.json's `bin` files executable, and point the
// declarations' relative imports at the `.js` files they describe. tsc rewrites `./x.ts` to
// `./x.js` in the JS it emits but not in `.d.ts`, and a consumer's compiler refuses a `.ts`
// specifier there unless it sets allowImportingTsExtensions.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative } from 'node:path'

const SRC = 'src'
const DIST = 'dist'
const RELATIVE_TS = /((?:from|import|declare module)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g

for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue
  const from = join(entry.parentPath, entry.name)
  const to = join(DIST, relative(SRC, from))
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(from, to)
}

// Run directly from the repository as well as through the link npm makes on install.
const { bin = {} } = JSON.parse(readFileSync('package.json', 'utf8'))
for (const file of Object.values(bin)) chmodSync(file, 0o755)

for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue
  const file = join(entry.parentPath, entry.name)
  const text = readFileSync(file, 'utf8')
  const rewritten = text.replace(RELATIVE_TS, '$1$2.js$3')
  if (rewritten !== text) writeFileSync(file, rewritten)
}
