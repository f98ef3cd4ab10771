import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { sql } from 'kysely'
import {
  AnonRateThrottle,
  BasicScheme,
  type Database,
  IsAuthenticated,
  installAllowedHosts,
  installPipeline,
  JwtScheme,
  JwtService,
  LOCAL_HOSTS,
  mediaRoutes,
  memoryThrottleStore,
  migrate,
  openDatabase,
  Router,
  redisSessionStore,
  redisThrottleStore,
  SessionScheme,
  type SessionStore,
  TokenScheme,
  UserRateThrottle,
} from 'portcullis'
import {
  accountsBackend,
  accountsMigrations,
  accountsPermissionBackend,
  accountsRoutes,
  dbSessionStore,
  jwtRoutes,
  profiles,
  tokenRouter,
} from './accounts/index.ts'
import { bucketlistMigrations, bucketlistRouter } from './apps/bucketlists/index.ts'
import { lendingMigrations, lendingRouter } from './apps/lending/index.ts'
import { rbacMigrations, rbacRoutes } from './apps/rbac/index.ts'
import { statuses, statusMigrations } from './apps/status/index.ts'
import { surveyMigrations, surveyRouter } from './apps/surveys/index.ts'
import { stopAcceptingOnRequest, stopWorkers } from './cluster-stop.ts'
import { drainUnreadBodies, type UnreadBodyBounds } from './framework/drain-unread-bodies.ts'
import { DRAIN_DEADLINE_MS, drainOnClose } from './framework/graceful-close.ts'
import { healthRoute } from './framework/health.ts'
import { installOpenApi, openApiRoutes } from './framework/openapi/index.ts'
import { openRedis } from './framework/redis/redis-client.ts'
import { watchRedis } from './framework/redis/redis-watch.ts'
import { apiClientErrorHandler, apiFrameworkErrors } from './framework/render/client-errors.ts'
import { installCors } from './framework/render/cors.ts'
import { faviconRoute } from './framework/render/favicon.ts'
import { installSecurityHeaders, securityHeaders } from './framework/render/security-headers.ts'
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
  db: Database
  /** Sessions in Redis when given (shared by every process); else in the database. */
  redis?: Redis
  /** The clock throttles count with (tests inject one). */
  now?: () => number
  logger?: boolean | { level: string }
  /** How much of a refused request's unread body is read before the answer (default 8 MiB, 10 s). */
  unreadBody?: UnreadBodyBounds
}

/** The reference server: every API of API.md on one database (migrations already applied). */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { settings } = options
  const requestTimeout = settings.requestTimeoutMs
  const hstsSeconds = settings.hstsSeconds
  // Answers written before any hook runs carry them too.
  const headers = securityHeaders({ hstsSeconds })
  const app = Fastify({
    logger: options.logger ?? false,
    // X-Forwarded-For is believed only from the proxies named here (addresses or CIDRs).
    trustProxy: settings.trustedProxies,
    // Request ids in logs; a client-sent id is not trusted.
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // A request (head and body) not received in time is answered 408 and its connection closed,
    // so a client trickling bytes cannot hold a connection; Node looks at its connections every
    // connectionsCheckingInterval, so the answer comes within about a tenth of the bound after it.
    requestTimeout,
    http: {
      requestTimeout,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(requestTimeout / 10)),
    },
    // A close drains (drainOnClose): requests on open connections are served, not refused.
    return503OnClosing: false,
    forceCloseConnections: false,
    clientErrorHandler: apiClientErrorHandler(headers),
    frameworkErrors: apiFrameworkErrors(headers),
  })
  drainOnClose(app)
  drainUnreadBodies(app, options.unreadBody)
  if (options.redis) watchRedis(options.redis, app.log)
  app.decorate('db', options.db)
  app.decorate(
    'users',
    accountsBackend(options.db, {
      onBackgroundError: (err) => app.log.warn({ err }, 'could not record a token use'),
    }),
  )
  app.decorate('permissionsBackend', accountsPermissionBackend(options.db))
  const sessions: SessionStore = options.redis
    ? redisSessionStore(options.redis, settings.sessions, Date.now, settings.redisPrefix)
    : dbSessionStore(options.db, settings.sessions)
  app.decorate('sessions', sessions)
  app.decorate('jwt', await JwtService.create(settings.jwt))
  app.decorate('secretKey', settings.secretKey)
  app.addHook('onClose', async () => {
    await options.db.destroy()
    options.redis?.disconnect()
  })
  installSecurityHeaders(app, { hstsSeconds })
  // Before anything builds a link from the Host (Django's ALLOWED_HOSTS; default: local names).
  installAllowedHosts(app, settings.allowedHosts.length ? settings.allowedHosts : LOCAL_HOSTS)
  await installCors(app, settings.corsOrigins)
  await installPipeline(app, {
    // DRF's order: the first scheme names the 401 challenge (API.md §2).
    defaults: {
      authentication: [BasicScheme, TokenScheme, JwtScheme, SessionScheme],
      permissions: [IsAuthenticated],
      // No limits unless THROTTLE_RATES names the `anon` and `user` scopes (as DRF).
      throttles: [AnonRateThrottle, UserRateThrottle],
    },
    throttling: {
      rates: settings.throttleRates,
      store: options.redis
        ? redisThrottleStore(options.redis, `${settings.redisPrefix}throttle:`)
        : memoryThrottleStore(),
      now: options.now,
    },
    body: { maxFields: settings.maxFields, uploads: settings.uploads },
    csrf: settings.csrf,
    cookies: settings.cookies,
  })
  // Before any route: it records each one as it registers.
  const openapi = installOpenApi(app, {
    title: 'Portcullis reference server',
    version: PACKAGE_VERSION,
  })
  healthRoute(app, { redis: options.redis })
  faviconRoute(app)
  accountsRoutes(app, settings.accounts)
  tokenRouter.mount(app)
  jwtRoutes(app)
  bucketlistRouter.mount(app)
  lendingRouter.mount(app, { root: '/api/v1/' })
  surveyRouter.mount(app, { root: '/survey/api/' })
  rbacRoutes(app)
  mediaRoutes(app, settings.media)
  new Router()
    .register('profiles', profiles)
    .register('status', statuses)
    .mount(app, { root: '/api/' })
  openApiRoutes(app, openapi)
  return app
}

// A dependency that does not answer stops the start with one line naming the setting.
async function reachable(setting: string, probe: () => Promise<unknown>) {
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref(),
  )
  try {
    await Promise.race([probe(), timeout])
  } catch (err) {
    throw new Error(`${setting} is not reachable: ${(err as Error).message}`)
  }
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
