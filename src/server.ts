import { pathToFileURL } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  BasicScheme,
  type Database,
  IsAuthenticated,
  installPipeline,
  migrate,
  openDatabase,
  TokenScheme,
} from 'portcullis'
import { accountsBackend, accountsMigrations, accountsRoutes } from './accounts/index.ts'
import { bucketlistMigrations, bucketlistRouter } from './apps/bucketlists/index.ts'
import { loadConfig } from './config.ts'
import { healthRoute } from './framework/health.ts'

/** Every app's migrations, applied by `npm start` and `npm run manage -- migrate`. */
export const allMigrations = [accountsMigrations, bucketlistMigrations]

/** Options of `createServer`. */
export interface ServerOptions {
  db: Database
  logger?: boolean | { level: string }
}

/** The reference server: every API of API.md on one database (migrations already applied). */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Request ids in logs; a client-sent id is not trusted.
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
  })
  app.decorate('db', options.db)
  app.decorate('users', accountsBackend(options.db))
  app.addHook('onClose', async () => options.db.destroy())
  await installPipeline(app, {
    defaults: { authentication: [BasicScheme, TokenScheme], permissions: [IsAuthenticated] },
  })
  healthRoute(app)
  accountsRoutes(app)
  bucketlistRouter.mount(app)
  return app
}

/** Start the reference server from the environment (npm start, manage runserver). */
export async function main() {
  const config = loadConfig()
  const db = openDatabase(config.databaseUrl)
  await migrate(db, allMigrations)
  const app = await createServer({ db, logger: { level: config.logLevel } })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.close().then(() => process.exit(0))
    })
  }
  await app.listen({ host: config.host, port: config.port })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: Error) => {
    console.error(`portcullis: could not start: ${err.message}`)
    process.exit(1)
  })
}
