import type { LightMyRequestResponse } from 'fastify'
import { CookieJar } from './cookies.ts'
import { PASSWORD, type TestApp } from './test-app.ts'

/** The ways a client of the reference server holds credentials, for one user. */
export interface SignedInClients {
  /** A second API token (another device). */
  token: string
  /** A browser session (cookie jar with sessionid and csrftoken). */
  session: CookieJar
  /** A JWT pair from /api/token/. */
  jwt: { access: string; refresh: string }
}

/** Sign a user in every way: a new API token, a session, and a JWT pair. */
export async function signInEveryWay(
  t: TestApp,
  username: string,
  password = PASSWORD,
): Promise<SignedInClients> {
  const credentials = { username, password }
  const login = await t.request({
    method: 'POST',
    url: '/api/auth/token/login/',
    json: credentials,
  })
  const session = new CookieJar()
  session.take(
    await t.request({
      method: 'POST',
      url: '/rbac/auth/login',
      json: { email: username, password },
    }),
  )
  const pair = await t.request({ method: 'POST', url: '/api/token/', json: credentials })
  if (login.statusCode !== 200 || pair.statusCode !== 200 || !session.get('sessionid')) {
    throw new Error(`could not sign ${username} in: ${login.body} ${pair.body}`)
  }
  return { token: login.json().auth_token, session, jwt: pair.json() }
}

/** A request in a browser session: the cookies, and the CSRF token as a single-page app sends it. */
export function sessionRequest(
  t: TestApp,
  jar: CookieJar,
  options: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; json?: unknown },
): Promise<LightMyRequestResponse> {
  return t
    .request({
      ...options,
      headers: { cookie: jar.header(), 'x-csrftoken': jar.get('csrftoken') ?? '' },
    })
    .then((res) => {
      jar.take(res)
      return res
    })
}

/** Which of a user's credentials still work: token, session, JWT access, refresh. */
export async function stillWorking(t: TestApp, clients: SignedInClients) {
  const me = '/api/auth/users/me/'
  const token = await t.request({ method: 'GET', url: me, token: clients.token })
  const session = await sessionRequest(t, clients.session, { method: 'GET', url: me })
  const access = await t.request({
    method: 'GET',
    url: me,
    headers: { authorization: `Bearer ${clients.jwt.access}` },
  })
  const refresh = await t.request({
    method: 'POST',
    url: '/api/token/refresh/',
    json: { refresh: clients.jwt.refresh },
  })
  // Anonymous session requests answer 401 (no user); a working session answers 200.
  return {
    token: token.statusCode === 200,
    session: session.statusCode === 200,
    access: access.statusCode === 200,
    refresh: refresh.statusCode === 200,
  }
}
