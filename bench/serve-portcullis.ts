/**
 * The reference server as `npm start` builds it (and as `WORKERS=N` runs it, with
 * BENCH_WORKERS), on the bench database, without logging. THROTTLE_RATES, SECRET_KEY and the JWT
 * settings come from the environment the parent gives.
 */
import { openDatabase } from '../src/framework/index.ts'
import { createServer } from '../src/server.ts'
import { serverSettingsFromEnv } from '../src/settings-from-env.ts'
import { serve, serverEnv } from './child-server.ts'

const { database } = serverEnv()
// The database is seeded and migrated by the parent: the server only opens it.
await serve(() =>
  createServer({
    settings: serverSettingsFromEnv(),
    db: openDatabase(database),
    logger: false,
  }),
)
