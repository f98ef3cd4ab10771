import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { type AuthUser, CSRF_COOKIE, CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE } from 'portcullis'
// Not on the public entry: only a test client may force a user, or start a CSRF secret for one.
import { newCsrfSecret } from '../framework/auth/csrf.ts'
import { FORCED_USER_HEADER, forceUser } from '../framework/auth/forced-authentication.ts'
import { CookieJar } from './cookie-jar.ts'
import { type BodyFormat, encodeBody, queryOf } from './request-body.ts'

/** What a test client request takes besides the URL and the data. */
export interface TestRequestOptions {
  /** How the data is encoded: `json` (the default), `form` or `multipart`. */
  format?: BodyFormat
  /** Headers for this request only; they win over `credentials`. */
  headers?: Record<string, string>
}

/** An answer: light-my-request's response, with `status` for its status code. */
export type TestResponse = LightMyRequestResponse & { status: number }

type Send = (url: string, data?: unknown, options?: TestRequestOptions) => Promise<TestResponse>

/** DRF's APIClient over Fastify's `inject`: see `testClient`. */
export interface TestClient {
  get: Send
  post: Send
  put: Send
  patch: Send
  delete: Send
  options: Send
  head: Send
  /** Headers sent with every request (`{ authorization: 'Token …' }`); none clears them. */
  credentials(headers?: Record<string, string>): void
  /**
   * Authenticate every following request as this user, without credentials: no scheme runs and
   * no CSRF is checked (DRF's force_authenticate); `auth` becomes `request.auth`. Permissions and
   * throttles still apply. Null goes back to anonymous.
   */
  forceAuthenticate(user: AuthUser | null, auth?: unknown): void
  /**
   * Log in with a username (or email) and password through the app's UserBackend and start a
   * real session in its SessionStore, as Django's client.login: true when the credentials are an
   * active user's, false otherwise. The `sessionid` and `csrftoken` cookies are kept.
   */
  login(username: string, password: string): Promise<boolean>
  /** End the session, forget every cookie, the forced user and the credentials (DRF's logout). */
  logout(): Promise<void>
  /** The cookies the client holds, name → value. */
  cookies(): Record<string, string>
}

// What the SessionStore records of the client that logged in (light-my-request's defaults).
const USER_AGENT = 'lightMyRequest'
const CLIENT_IP = '127.0.0.1'

/**
 * A test client for an app (DRF's APIClient): `get/post/put/patch/delete/options/head(url, data,
 * options)` over `inject`. Data goes as JSON unless `format` says otherwise (DRF's
 * TEST_REQUEST_DEFAULT_FORMAT); a GET's or HEAD's data is its query string. Cookies the app sets
 * are kept between requests, as a browser keeps them.
 *
 * DRF's APIClient skips CSRF checks unless built with `enforce_csrf_checks`. Portcullis's session
 * scheme always checks, so this client does what a browser's script does: on an unsafe method it
 * sends the `csrftoken` cookie it holds back as `X-CSRFToken` (unless the request sets that header
 * itself). To test a CSRF refusal, send the request without the cookie or with a wrong header.
 */
export function testClient(app: FastifyInstance): TestClient {
  // This client's key to the users it forces: random, so no other client or request can guess it.
  const nonce = randomBytes(24).toString('base64url')
  const jar = new CookieJar()
  let credentials: Record<string, string> = {}

  async function send(
    method: string,
    url: string,
    data: unknown,
    options: TestRequestOptions = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = {
      [FORCED_USER_HEADER]: nonce,
      ...credentials,
      ...lowerCased(options.headers ?? {}),
    }
    const csrf = jar.get(CSRF_COOKIE)
    if (!SAFE_METHODS.has(method) && csrf !== undefined && headers[CSRF_HEADER] === undefined) {
      headers[CSRF_HEADER] = csrf
    }
    const request: InjectOptions = { method, url, headers, cookies: jar.values() }
    if (data !== undefined && (method === 'GET' || method === 'HEAD')) {
      request.query = queryOf(data)
    } else if (data !== undefined) {
      const body = encodeBody(data, options.format ?? 'json')
      request.payload = body.payload
      headers['content-type'] ??= body.contentType
    }
    const response = await app.inject(request)
    for (const cookie of response.cookies) jar.store(cookie)
    return Object.assign(response, { status: response.statusCode })
  }

  const method =
    (name: string): Send =>
    (url, data, options) =>
      send(name, url, data, options)

  return {
    get: method('GET'),
    post: method('POST'),
    put: method('PUT'),
    patch: method('PATCH'),
    delete: method('DELETE'),
    options: method('OPTIONS'),
    head: method('HEAD'),
    credentials(headers = {}) {
      credentials = lowerCased(headers)
    },
    forceAuthenticate(user, auth = null) {
      forceUser(app, nonce, user === null ? null : { user, auth })
    },
    async login(username, password) {
      const user = await app.users.authenticate(username, password)
      if (user === null) return false
      // As startSession: the session the client had is ended, so one id never spans two logins.
      const previous = jar.get(SESSION_COOKIE)
      if (previous !== undefined) await app.sessions.delete(previous)
      const { key, session } = await app.sessions.create({
        userId: user.id,
        userAgent: USER_AGENT,
        ip: CLIENT_IP,
      })
      jar.set(SESSION_COOKIE, key, new Date(session.expires))
      jar.set(CSRF_COOKIE, newCsrfSecret())
      return true
    },
    async logout() {
      const key = jar.get(SESSION_COOKIE)
      if (key !== undefined) await app.sessions.delete(key)
      jar.clear()
      credentials = {}
      forceUser(app, nonce, null)
    },
    cookies: () => jar.values(),
  }
}

// Header names are case-insensitive: one spelling, so a request's header replaces a credential.
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
}
