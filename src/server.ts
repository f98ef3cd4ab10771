import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import {
  AnonRateThrottle,
  BasicScheme,
  type Database,
  DRAIN_DEADLINE_MS,
  IsAuthenticated,
  JwtScheme,
  migrate,
  openDatabase,
  openRedis,
  type PortcullisSettings,
  portcullis,
  type RedisConnection,
  Router,
  reachable,
  SessionScheme,
  serverOptions,
  TokenScheme,
  UserRateThrottle,
} from 'portcullis'
import { accounts, accountsMigrations, accountsUsers, profiles } from 'portcullis/accounts'
import { bucketlistMigrations, bucketlists } from './apps/bucketlists/index.ts'
import { lending, lendingMigrations } from './apps/lending/index.ts'
import { rbac, rbacMigrations } from './apps/rbac/index.ts'
import { statuses, statusMigrations } from './apps/status/index.ts'
import { surveyMigrations, surveys } from './apps/surveys/index.ts'
import { stopAcceptingOnRequest, stopWorkers } from './cluster-stop.ts'
import { type ServerSettings, serverSettingsFromEnv } from './settings-from-env.ts'

// The document's version is the package's.
const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version

/** Every app's migrations, applied by `npm start` and `npm run manage -- migrate`. */
export const allMigrations = [
  accountsMigrations,
  bucketlistMigrations,
  lendingMigrations,
  statusMigrations,
  surveyMigrations,
  rbacMigrations,
]

/** Options of `createServer`. */
export interface ServerOptions {
  /** Everything configurable (`serverSettingsFromEnv` reads them from the environment). */
  settings: ServerSettings
  /** The database, migrated; closed with the server. */
  db: Database
  /** Sessions and throttle counts in Redis when given (shared by every process); closed with the server. */
  redis?: RedisConnection
  /** The clock throttles count with (tests inject one). */
  now?: () => number
  logger?: boolean | { level: string }
  /** How much of a refused request's unread body is read before the answer (default 8 MiB, 10 s). */
  unreadBody?: PortcullisSettings['unreadBody']
}

/** The portcullis plugin's settings for the reference server. */
function pluginSettings(options: ServerOptions): PortcullisSettings {
  const { settings } = options
  return {
    database: options.db,
    secretKey: settings.secretKey,
    users: accountsUsers(),
    redis: options.redis,
    redisPrefix: settings.redisPrefix,
    defaults: {
      // DRF's order: the first scheme names the 401 challenge (API.md §2).
      authentication: [BasicScheme, TokenScheme, JwtScheme, SessionScheme],
      permissions: [IsAuthenticated],
      // No limits unless THROTTLE_RATES names the `anon` and `user` scopes (as DRF).
      throttles: [AnonRateThrottle, UserRateThrottle],
    },
    throttleRates: settings.throttleRates,
    sessions: settings.sessions,
    jwt: settings.jwt,
    mail: settings.mailer,
    allowedHosts: settings.allowedHosts,
    corsOrigins: settings.corsOrigins,
    csrf: settings.csrf,
    cookies: settings.cookies,
    hstsSeconds: settings.hstsSeconds,
    body: { maxFields: settings.maxFields, uploads: settings.uploads },
    openapi: { title: 'Portcullis reference server', version: PACKAGE_VERSION, docs: true },
    health: true,
    media: settings.media,
    unreadBody: options.unreadBody,
    now: options.now,
  }
}

/** Every API of API.md, at the paths it gives them. */
async function referenceApis(app: FastifyInstance, settings: ServerSettings) {
  await app.register(accounts, {
    ...settings.accounts,
    prefix: '/api',
    routes: ['users', 'token', 'tokens', 'sessions', 'jwt', 'rest-auth', 'permissions', 'avatar'],
  })
  // Seed 000's DRF obtain_auth_token and login pages, and the browsable API's login pages.
  await app.register(accounts, {
    ...settings.accounts,
    prefix: '/get-token',
    routes: ['obtain-token'],
  })
  // Seed 000 logs out with `GET /auth/logout/` (API.md §4); the browsable API's own logout is a
  // POST with the CSRF token, as current Django's.
  for (const [prefix, logoutOnGet] of [
    ['/auth', true],
    ['/api-auth', false],
  ] as const) {
    await app.register(accounts, {
      ...settings.accounts,
      prefix,
      routes: ['login-pages'],
      logoutOnGet,
    })
  }
  await app.register(rbac, { prefix: '/rbac' })
  await app.register(bucketlists)
  await app.register(lending, { prefix: '/api/v1' })
  await app.register(surveys, { prefix: '/survey/api' })
  await app.register(
    new Router().register('profiles', profiles).register('status', statuses).plugin({ root: true }),
    { prefix: '/api' },
  )
}

/** The reference server: every API of API.md on one database (migrations already applied). */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { settings } = options
  const app = Fastify(
    serverOptions({
      requestTimeoutMs: settings.requestTimeoutMs,
      trustedProxies: settings.trustedProxies,
      hstsSeconds: settings.hstsSeconds,
      logger: options.logger,
    }),
  )
  try {
    await app.register(portcullis, pluginSettings(options))
    app.addHook('onClose', async () => {
      await options.db.destroy()
      options.redis?.disconnect()
    })
    await app.register((apis) => referenceApis(apis, settings))
    await app.ready()
  } catch (err) {
    await app.close().catch(() => {})
    throw err
  }
  return app
}

/** Check the database (and migrate it) and Redis before any request is taken. */
async function prepare(settings: ServerSettings, migrateToo: boolean) {
  const db = openDatabase(settings.databaseUrl)
  await reachable('DATABASE_URL', () => sql`select 1`.execute(db))
  if (migrateToo) await migrate(db, allMigrations)
  const redis = settings.redisUrl ? openRedis(settings.redisUrl) : undefined
  let redisError: Error | undefined
  redis?.on('error', (err: Error) => {
    redisError = err
  })
  if (redis) {
    await reachable('REDIS_URL', () =>
      redis.connect().catch((err: Error) => {
        throw redisError ?? err
      }),
    )
  }
  return { db, redis }
}

/** One server process: listen, and on SIGTERM stop taking requests and finish those in flight. */
async function serve(settings: ServerSettings, migrateToo: boolean) {
  const { db, redis } = await prepare(settings, migrateToo)
  const app = await createServer({ settings, db, redis, logger: { level: settings.logLevel } })
  if (cluster.isWorker) stopAcceptingOnRequest(app)
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return
      stopping = true
      // The drain is bounded; should a close hook hang after it, the process ends all the same.
      setTimeout(() => process.exit(1), DRAIN_DEADLINE_MS + 5000).unref()
      app.close().then(
        () => process.exit(0),
        (err: Error) => {
          app.log.error({ err }, 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
  await app.listen({ host: settings.host, port: settings.port })
}

/**
 * WORKERS=N: the primary checks and migrates once, then runs N server processes on one port
 * (node cluster). A worker that dies after starting is replaced; one that cannot start stops
 * the whole start, with its one line; on SIGTERM the port closes for all, then every worker drains.
 */
async function primary(settings: ServerSettings) {
  const { db, redis } = await prepare(settings, true)
  await db.destroy()
  redis?.disconnect()
  let stopping = false
  let failed = false
  const listening = new Set<number>()
  cluster.on('listening', (worker) => listening.add(worker.id))
  cluster.on('exit', (worker, code) => {
    if (stopping) {
      // A worker whose stop failed (or that was killed) makes the whole stop a failure.
      failed ||= code !== 0
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0)
      return
    }
    if (!listening.has(worker.id)) {
      stopping = true
      for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM')
      process.exit(code || 1)
    }
    cluster.fork()
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true
      void stopWorkers(Object.values(cluster.workers ?? {}).filter((w) => w !== undefined))
    })
  }
  for (let i = 0; i < settings.workers; i++) cluster.fork()
}

/** Start the reference server from the environment (npm start, manage runserver). */
export async function main() {
  const settings = serverSettingsFromEnv(process.env)
  if (settings.workers > 1 && cluster.isPrimary) return primary(settings)
  // A cluster worker's primary has migrated already.
  return serve(settings, cluster.isPrimary)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: Error) => {
    console.error(`portcullis: could not start: ${err.message}`)
    process.exit(1)
  })
}
