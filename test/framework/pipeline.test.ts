import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AllowAny,
  AuthenticationFailed,
  type AuthScheme,
  checkObjectPermissions,
  IsAuthenticated,
  installPipeline,
  isOwner,
  type Throttle,
  tokenScheme,
  type UserBackend,
} from '../../src/framework/index.ts'

// The pipeline on plain Fastify routes: no viewset, no database, just `config`.
const HeaderScheme: AuthScheme = {
  name: 'header',
  challenge: 'Header realm="test"',
  authenticate(request) {
    const who = request.headers['x-user']
    if (who === undefined) return null
    if (who === 'nobody') throw new AuthenticationFailed('No such user.')
    return {
      user: {
        id: String(who),
        username: String(who),
        is_active: true,
        is_staff: false,
        is_superuser: false,
      },
      auth: null,
    }
  },
}
const CookieLikeScheme: AuthScheme = { name: 'cookie', authenticate: () => null }
const SlowDown: Throttle = {
  scope: 'test',
  check: (request) => (request.headers['x-busy'] ? 29.2 : null),
}

let app: FastifyInstance
beforeAll(async () => {
  app = Fastify()
  // The token scheme looks keys up in the server's users: here, nobody's.
  const nobody: UserBackend = {
    authenticate: async () => null,
    userById: () => null,
    userForToken: () => null,
  }
  app.decorate('users', nobody)
  await installPipeline(app, { defaults: { authentication: [HeaderScheme] } })
  app.get('/private', async (request) => ({ hello: request.user?.username }))
  app.get('/public', { config: { permissions: [AllowAny] } }, async (request) => ({
    user: request.user?.username ?? null,
  }))
  app.get(
    '/cookie-first',
    { config: { authentication: [CookieLikeScheme, HeaderScheme] } },
    async () => ({}),
  )
  app.get(
    '/things/:owner',
    { config: { permissions: [IsAuthenticated, isOwner({ message: 'Not an owner.' })] } },
    async (request) => {
      const thing = { owner_id: (request.params as { owner: string }).owner }
      await checkObjectPermissions(request, thing)
      return thing
    },
  )
  app.get(
    '/bearer-token',
    { config: { authentication: [tokenScheme({ keyword: 'Bearer' })] } },
    async () => ({}),
  )
  app.get('/throttled', { config: { throttles: [SlowDown] } }, async () => ({}))
  app.get('/crash', { config: { permissions: [AllowAny] } }, async () => {
    throw new Error('secret internals')
  })
  await app.ready()
})
afterAll(() => app.close())

describe('the pipeline on plain routes', () => {
  it("applies the server default (IsAuthenticated) with the first scheme's challenge", async () => {
    const res = await app.inject({ url: '/private' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Header realm="test"')
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    const ok = await app.inject({ url: '/private', headers: { 'x-user': 'ann' } })
    expect(ok.json()).toEqual({ hello: 'ann' })
  })

  it('answers 403 when the first scheme names no challenge', async () => {
    const res = await app.inject({ url: '/cookie-first' })
    expect(res.statusCode).toBe(403)
    expect(res.headers['www-authenticate']).toBeUndefined()
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('stops bad credentials with 401 even where anyone may enter', async () => {
    const res = await app.inject({ url: '/public', headers: { 'x-user': 'nobody' } })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'No such user.' })
    const anon = await app.inject({ url: '/public' })
    expect(anon.json()).toEqual({ user: null })
  })

  it('runs object checks with their own message', async () => {
    const mine = await app.inject({ url: '/things/ann', headers: { 'x-user': 'ann' } })
    expect(mine.statusCode).toBe(200)
    const theirs = await app.inject({ url: '/things/bob', headers: { 'x-user': 'ann' } })
    expect(theirs.statusCode).toBe(403)
    expect(theirs.json()).toEqual({ detail: 'Not an owner.' })
  })

  it('lets the token keyword be configured, and challenges with it', async () => {
    const res = await app.inject({ url: '/bearer-token' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
    const wrongKeyword = await app.inject({
      url: '/bearer-token',
      headers: { authorization: 'Token abc' },
    })
    expect(wrongKeyword.statusCode).toBe(401)
    expect(wrongKeyword.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    const malformed = await app.inject({
      url: '/bearer-token',
      headers: { authorization: 'bearer a b' },
    })
    expect(malformed.json()).toEqual({
      detail: 'Invalid token header. Token string should not contain spaces.',
    })
  })

  it('throttles with 429 and Retry-After in whole seconds', async () => {
    const res = await app.inject({ url: '/throttled', headers: { 'x-user': 'ann', 'x-busy': '1' } })
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('30')
    expect(res.json()).toEqual({
      detail: 'Request was throttled. Expected available in 30 seconds.',
    })
  })

  it('turns an unexpected error into a 500 without details', async () => {
    const res = await app.inject({ url: '/crash' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ detail: 'A server error occurred.' })
    expect(res.body).not.toContain('secret')
  })
})
