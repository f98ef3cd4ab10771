import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { accounts } from '../../src/accounts/index.ts'
import {
  AllowAny,
  BasicScheme,
  csrfToken,
  installPipeline,
  JwtScheme,
  JwtService,
  type JwtSettings,
  TokenScheme,
} from '../../src/framework/index.ts'
import type { TestApp } from './test-app.ts'

/** The HS256 key the JWT test servers sign with. */
export const TEST_JWT_SECRET = 'portcullis-test-secret-at-least-32-bytes-long'

/** A clock the test moves: `now()` in milliseconds, `advance(seconds)`. */
export interface TestClock {
  now(): number
  advance(seconds: number): void
}

/** A server with simplejwt's endpoints and JwtScheme, over a TestApp's database and users. */
export interface JwtTestApp {
  app: FastifyInstance
  jwt: JwtService
  clock: TestClock
  /** POST JSON (with extra headers, e.g. a cookie or X-CSRFToken). */
  post(
    url: string,
    json: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  /** A request with `Authorization: Bearer <token>`. */
  bearer(token: string, method?: 'GET' | 'POST', url?: string): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

function testClock(): TestClock {
  let at = Date.now()
  return {
    now: () => at,
    advance(seconds) {
      at += seconds * 1000
    },
  }
}

/**
 * Build the server for `settings`: schemes Basic, Token, JWT (Basic first, as the reference
 * server's views), the four token endpoints, and probes: `/probe/` (GET and POST, any of the
 * three), `/probe/jwt-first/` (JWT then Basic) and `/probe/csrf/` (hands out a CSRF cookie).
 */
export async function createJwtApp(
  t: TestApp,
  settings: Partial<JwtSettings> = {},
): Promise<JwtTestApp> {
  const clock = testClock()
  const jwt = await JwtService.create({ signingKey: TEST_JWT_SECRET, ...settings }, clock.now)
  const app = Fastify()
  app.decorate('db', t.db)
  app.decorate('users', t.app.users)
  app.decorate('jwt', jwt)
  await installPipeline(app, {
    defaults: { authentication: [BasicScheme, TokenScheme, JwtScheme] },
  })
  await app.register(accounts, { prefix: '/api', routes: ['jwt'] })
  const whoami = async (request: { user: { username: string } | null; auth: unknown }) => ({
    username: request.user?.username,
    auth: request.auth,
  })
  app.get('/probe/', whoami)
  app.post('/probe/', whoami)
  app.get('/probe/jwt-first/', { config: { authentication: [JwtScheme, BasicScheme] } }, whoami)
  app.get(
    '/probe/csrf/',
    { config: { authentication: [], permissions: [AllowAny] } },
    async (request, reply) => ({ token: csrfToken(request, reply) }),
  )
  await app.ready()
  return {
    app,
    jwt,
    clock,
    post: (url, json, headers = {}) =>
      app.inject({ method: 'POST', url, payload: json as object, headers }),
    bearer: (token, method = 'GET', url = '/probe/') =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` } }),
    close: () => app.close(),
  }
}
