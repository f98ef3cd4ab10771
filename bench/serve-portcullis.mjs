/**
 * The reference server as `npm start` runs it (and as `WORKERS=N` does, with BENCH_WORKERS): the
 * built JS in dist/ on plain node, on the bench database, without logging. With
 * BENCH_PORTCULLIS_FROM=src (and the parent's `--import tsx`) the same server from its sources,
 * to weigh what tsx costs. THROTTLE_RATES, SECRET_KEY and the JWT settings come from the
 * environment the parent gives.
 */
import { openDatabase } from 'portcullis'
import { serve, serverEnv } from './child-server.mjs'

// 'portcullis' is the package's own entry: dist/ on node, src/ under tsx (tsconfig's paths), so
// it is the module the server imports either way.
const [{ createServer }, { serverSettingsFromEnv }] =
  process.env.BENCH_PORTCULLIS_FROM === 'src'
    ? await Promise.all([import('../src/server.ts'), import('../src/settings-from-env.ts')])
    : await Promise.all([import('../dist/server.js'), import('../dist/settings-from-env.js')])

const { database } = serverEnv()
// The database is seeded and migrated by the parent: the server only opens it.
await serve(() =>
  createServer({
    settings: serverSettingsFromEnv(),
    db: openDatabase(database),
    logger: false,
  }),
)
