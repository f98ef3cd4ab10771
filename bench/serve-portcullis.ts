/** The reference server as `npm start` builds it, on the bench database, without logging. */
import { openDatabase } from '../src/framework/index.ts'
import { createServer } from '../src/server.ts'
import { announceReady, serverEnv } from './child-server.ts'

const { dbPath, port } = serverEnv()
// The database is seeded and migrated by the parent: the server only opens it.
const app = await createServer({ db: openDatabase(dbPath), logger: false })
await app.listen({ host: '127.0.0.1', port })
announceReady(app)
