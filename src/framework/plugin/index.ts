import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import { BasicScheme } from '../auth/basic-scheme.ts'
import { JwtService } from '../auth/jwt/jwt-service.ts'
import { redisSessionStore } from '../auth/redis-session-store.ts'
import type { AuthScheme } from '../auth/scheme.ts'
import { SessionScheme } from '../auth/session-scheme.ts'
import { DEFAULT_SESSION_LIFETIMES, type SessionLifetimes } from '../auth/session-store.ts'
import { openDatabase } from '../db/database.ts'
import { drainUnreadBodies } from '../drain-unread-bodies.ts'
import { mediaRoutes } from '../files/media-routes.ts'
import { mediaStorage } from '../files/media-storage.ts'
import { drainOnClose } from '../graceful-close.ts'
import { healthRoute } from '../health.ts'
import { createMailer, type Mailer } from '../mail/mailer.ts'
import { textConsoleMailer } from '../mail/text-console-mailer.ts'
import { installOpenApi } from '../openapi/install.ts'
import { openApiRoutes } from '../openapi/routes.ts'
import { installPipeline } from '../pipeline.ts'
import { reachable } from '../reachable.ts'
import { openRedis } from '../redis/redis-client.ts'
import type { RedisClient } from '../redis/redis-commands.ts'
import { watchRedis } from '../redis/redis-watch.ts'
import { installAllowedHosts, LOCAL_HOSTS } from '../render/allowed-hosts.ts'
import { installCors } from '../render/cors.ts'
import { faviconRoute } from '../render/favicon.ts'
import { installSecurityHeaders } from '../render/security-headers.ts'
import { memoryThrottleStore } from '../throttling/memory-throttle-store.ts'
import { parseRate, type Rate } from '../throttling/rate.ts'
import { redisThrottleStore } from '../throttling/redis-throttle-store.ts'
import { type ServerOptionsSettings, serverOptions } from './server-options.ts'
import type { PortcullisSettings } from './settings.ts'

export type { RedisClient } from '../redis/redis-commands.ts'
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ServerOptionsSettings,
  serverOptions,
} from './server-options.ts'
export type { PortcullisSettings } from './settings.ts'

function rates(given: PortcullisSettings['throttleRates']): Record<string, Rate> {
  const parsed: Record<string, Rate> = {}
  for (const [scope, rate] of Object.entries(given ?? {})) {
    parsed[scope] = typeof rate === 'string' ? parseRate(rate) : rate
  }
  return parsed
}

function mailerOf(mail: PortcullisSettings['mail']): Mailer {
  if (!mail) return textConsoleMailer('webmaster@localhost')
  return 'send' in mail ? mail : createMailer(mail)
}

function lifetimesOf(given: PortcullisSettings['sessions']): SessionLifetimes {
  const lifetimes = { ...DEFAULT_SESSION_LIFETIMES, ...given }
  if (!(lifetimes.maxAgeSeconds > 0) || !(lifetimes.idleSeconds >= 0)) {
    throw new Error('sessions: maxAgeSeconds must be positive and idleSeconds at least 0')
  }
  return lifetimes
}

// The database named by a URL or opened by a function is checked and closed here; one given
// open stays the caller's.
async function installDatabase(app: FastifyInstance, database: PortcullisSettings['database']) {
  if (typeof database !== 'string' && typeof database !== 'function') return database
  const db = typeof database === 'string' ? openDatabase(database) : database()
  app.addHook('onClose', () => db.destroy())
  await reachable('database', () => sql`select 1`.execute(db))
  return db
}

// A URL is opened, checked and closed here; a client given stays the caller's. Either way its
// outages are logged, one line each.
async function installRedis(app: FastifyInstance, redis: string | RedisClient | undefined) {
  if (redis === undefined) return undefined
  if (typeof redis !== 'string') {
    watchRedis(redis, app.log)
    return redis
  }
  const client = openRedis(redis)
  let failure: Error | undefined
  client.on('error', (err: Error) => {
    failure = err
  })
  await reachable('redis', () =>
    client.connect().catch((err: Error) => {
      throw failure ?? err
    }),
  )
  watchRedis(client, app.log)
  app.addHook('onClose', async () => {
    client.disconnect()
  })
  return client
}

async function install(app: FastifyInstance, settings: PortcullisSettings) {
  if (typeof settings.secretKey !== 'string' || settings.secretKey.length < 32) {
    throw new Error('secretKey must be a random string of at least 32 characters')
  }
  const db = await installDatabase(app, settings.database)
  const redis = await installRedis(app, settings.redis)
  const redisPrefix = settings.redisPrefix ?? 'portcullis:'
  drainOnClose(app)
  drainUnreadBodies(app, settings.unreadBody)
  app.decorate('db', db)
  app.decorate('secretKey', settings.secretKey)
  app.decorate('mailer', mailerOf(settings.mail))
  const lifetimes = lifetimesOf(settings.sessions)
  const store = settings.users?.({ db, sessions: lifetimes, log: app.log })
  if (store) app.decorate('users', store.users)
  if (store?.permissions) app.decorate('permissionsBackend', store.permissions)
  const sessions = redis
    ? redisSessionStore(redis, lifetimes, Date.now, redisPrefix)
    : store?.sessions
  if (sessions) app.decorate('sessions', sessions)
  const jwt = settings.jwt ?? {}
  const algorithm = jwt.algorithm ?? 'HS256'
  app.decorate(
    'jwt',
    await JwtService.create({
      ...jwt,
      signingKey: jwt.signingKey ?? (algorithm === 'HS256' ? settings.secretKey : ''),
    }),
  )

  installSecurityHeaders(app, { hstsSeconds: settings.hstsSeconds })
  // Before anything builds a link from the Host.
  installAllowedHosts(app, settings.allowedHosts?.length ? settings.allowedHosts : LOCAL_HOSTS)
  await installCors(app, settings.corsOrigins ?? [])
  const defaultSchemes: AuthScheme[] = store ? [SessionScheme, BasicScheme] : []
  await installPipeline(app, {
    defaults: { authentication: defaultSchemes, ...settings.defaults },
    throttling: {
      rates: rates(settings.throttleRates),
      store: redis ? redisThrottleStore(redis, `${redisPrefix}throttle:`) : memoryThrottleStore(),
      now: settings.now,
    },
    body: settings.body,
    csrf: settings.csrf,
    cookies: settings.cookies,
    browsable: settings.browsable,
    exceptionHandler: settings.exceptionHandler,
  })
  // Before any other route: it records each one as it registers.
  if (settings.openapi !== false) {
    const { docs, ...info } = settings.openapi ?? {}
    const openapi = installOpenApi(app, {
      title: info.title ?? 'API',
      version: info.version ?? '1.0.0',
      description: info.description,
    })
    // The page needs the optional Scalar package: served only when asked for.
    openApiRoutes(app, openapi, { docs: docs ?? false })
  }
  if (settings.health) healthRoute(app, { redis })
  if (settings.browsable !== false) faviconRoute(app)
  if (settings.media) {
    const storage =
      typeof settings.media === 'string' ? mediaStorage(settings.media) : settings.media
    app.decorate('media', storage)
    mediaRoutes(app, storage)
  }
}

/**
 * Portcullis on a Fastify server, from one settings object: the database, users, sessions, JWT,
 * mail, the request pipeline (authentication, permissions, throttles, CSRF, content negotiation
 * and the browsable API), security headers, allowed hosts, CORS and OpenAPI. A setting that
 * cannot work stops the start with a message naming it. Register it before any route: the
 * pipeline applies to routes registered after it.
 */
export const portcullis: FastifyPluginAsync<PortcullisSettings> = fp(install, {
  name: 'portcullis',
  fastify: '5.x',
})

/** What `createApp` takes: the plugin's settings and Fastify's own. */
export interface AppSettings extends PortcullisSettings, ServerOptionsSettings {}

/**
 * A Fastify server built with `serverOptions` and the `portcullis` plugin registered: register
 * your apps on it, then `listen`.
 */
export async function createApp(settings: AppSettings): Promise<FastifyInstance> {
  const { requestTimeoutMs, trustedProxies, bodyLimit, logger, ...rest } = settings
  const app = Fastify(
    serverOptions({
      requestTimeoutMs,
      trustedProxies,
      bodyLimit,
      logger,
      hstsSeconds: rest.hstsSeconds,
    }),
  )
  try {
    await app.register(portcullis, rest)
    await app.after()
  } catch (err) {
    await app.close().catch(() => {})
    throw err
  }
  return app
}
