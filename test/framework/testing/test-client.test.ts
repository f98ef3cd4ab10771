import Fastify, { type FastifyInstance } from 'fastify'
import {
  AllowAny,
  type AuthScheme,
  type AuthUser,
  IsAdminUser,
  IsAuthenticated,
  installPipeline,
  parseRates,
  UserRateThrottle,
} from 'portcullis'
import { testClient } from 'portcullis/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The test client over a bare server: the pipeline, plain routes, no database. Both
// `portcullis` and `portcullis/testing` resolve to the sources here (vitest.config.ts).
const alice: AuthUser = {
  id: 'a1',
  username: 'alice',
  is_active: true,
  is_staff: false,
  is_superuser: false,
}
const admin: AuthUser = { ...alice, id: 'ad', username: 'admin', is_staff: true }

// A scheme with a challenge (anonymous answers are 401 + `WWW-Authenticate: Key`): `Key good`
// is the user `keyed`; any other key is not recognised.
const KeyScheme: AuthScheme = {
  name: 'key',
  challenge: 'Key',
  authenticate(request) {
    const header = request.headers.authorization
    if (!header?.startsWith('Key ')) return null
    return header === 'Key good'
      ? { user: { ...alice, id: 'k', username: 'keyed' }, auth: 'good' }
      : null
  },
}

let app: FastifyInstance
beforeAll(async () => {
  app = Fastify()
  await installPipeline(app, {
    defaults: { authentication: [KeyScheme] },
    throttling: { rates: parseRates('user=2/min') },
  })
  const whoami = { config: { permissions: [AllowAny] } }
  app.get('/whoami', whoami, async (request) => ({
    user: request.user?.username ?? null,
    authenticator: request.authenticator?.name ?? null,
    auth: request.auth ?? null,
  }))
  app.post('/echo', whoami, async (request) => ({
    type: request.headers['content-type']?.split(';')[0],
    body: request.body,
    query: request.query,
    csrf: request.headers['x-csrftoken'] ?? null,
  }))
  app.get('/echo', whoami, async (request) => ({ query: request.query }))
  app.get('/private', async (request) => ({ user: request.user?.username }))
  app.get('/staff', { config: { permissions: [IsAdminUser] } }, async () => ({ ok: true }))
  app.get(
    '/limited',
    { config: { permissions: [IsAuthenticated], throttles: [UserRateThrottle] } },
    async () => ({ ok: true }),
  )
  app.get('/cookie', whoami, async (_request, reply) => reply.setCookie('flavour', 'oat').send({}))
  app.get('/cookie/clear', whoami, async (_request, reply) => reply.clearCookie('flavour').send({}))
  app.get('/cookie/read', whoami, async (request) => ({ cookies: request.cookies }))
  // A route of an encapsulated plugin: its server is a child of the app the client was given.
  await app.register(
    async (child) => {
      child.get('/whoami', whoami, async (request) => ({ user: request.user?.username ?? null }))
    },
    { prefix: '/plugin' },
  )
  await app.ready()
})
afterAll(() => app?.close())

describe('forceAuthenticate', () => {
  it('makes the user request.user, authenticated by the forced pseudo-scheme', async () => {
    const client = testClient(app)
    client.forceAuthenticate(alice, { key: 'made-up' })
    const res = await client.get('/whoami')
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ user: 'alice', authenticator: 'forced', auth: { key: 'made-up' } })
    // Inside an encapsulated plugin too.
    expect((await client.get('/plugin/whoami')).json()).toEqual({ user: 'alice' })
  })

  it('skips the schemes: credentials that would be refused are not looked at', async () => {
    const client = testClient(app)
    client.credentials({ authorization: 'Key good' })
    expect((await client.get('/whoami')).json()).toMatchObject({ user: 'keyed' })
    client.forceAuthenticate(alice)
    expect((await client.get('/whoami')).json()).toMatchObject({
      user: 'alice',
      authenticator: 'forced',
    })
  })

  it('leaves the user to permissions and throttles', async () => {
    const client = testClient(app)
    client.forceAuthenticate(alice)
    expect((await client.get('/private')).json()).toEqual({ user: 'alice' })
    const staff = await client.get('/staff')
    expect(staff.status).toBe(403)
    expect(staff.headers['www-authenticate']).toBeUndefined()
    client.forceAuthenticate(admin)
    expect((await client.get('/staff')).status).toBe(200)
    // user=2/min, counted per user: admin is throttled on the third request, alice is not.
    expect((await client.get('/limited')).status).toBe(200)
    expect((await client.get('/limited')).status).toBe(200)
    expect((await client.get('/limited')).status).toBe(429)
    client.forceAuthenticate(alice)
    expect((await client.get('/limited')).status).toBe(200)
  })

  it('goes back to anonymous with null', async () => {
    const client = testClient(app)
    client.forceAuthenticate(alice)
    expect((await client.get('/private')).status).toBe(200)
    client.forceAuthenticate(null)
    const res = await client.get('/private')
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Key')
    expect((await client.get('/whoami')).json()).toEqual({
      user: null,
      authenticator: null,
      auth: null,
    })
  })

  it('keeps two clients of one app apart', async () => {
    const first = testClient(app)
    const second = testClient(app)
    first.forceAuthenticate(alice)
    second.forceAuthenticate(admin)
    expect((await first.get('/whoami')).json()).toMatchObject({ user: 'alice' })
    expect((await second.get('/whoami')).json()).toMatchObject({ user: 'admin' })
    second.forceAuthenticate(null)
    expect((await first.get('/whoami')).json()).toMatchObject({ user: 'alice' })
    expect((await second.get('/whoami')).json()).toMatchObject({ user: null })
  })

  it('gives a made-up or stale test-client header no meaning', async () => {
    const client = testClient(app)
    client.forceAuthenticate(alice)
    for (const nonce of ['', 'guess', 'a'.repeat(32)]) {
      const res = await app.inject({
        url: '/private',
        headers: { 'x-portcullis-test-client': nonce },
      })
      expect(res.statusCode).toBe(401)
    }
    // A server no client ever touched has no registry at all.
    const untouched = Fastify()
    await installPipeline(untouched)
    untouched.get('/private', async (request) => ({ user: request.user?.username }))
    const res = await untouched.inject({
      url: '/private',
      headers: { 'x-portcullis-test-client': 'guess' },
    })
    expect(res.statusCode).toBe(403)
    await untouched.close()
  })
})

describe('requests', () => {
  it('sends data as JSON by default, and as a form or multipart when told', async () => {
    const client = testClient(app)
    expect((await client.post('/echo', { title: 'x', tags: ['a'] })).json()).toMatchObject({
      type: 'application/json',
      body: { title: 'x', tags: ['a'] },
    })
    expect(
      (await client.post('/echo', { title: 'x', n: 2 }, { format: 'form' })).json(),
    ).toMatchObject({ type: 'application/x-www-form-urlencoded', body: { title: 'x', n: '2' } })
    const multipart = await client.post('/echo', { title: 'x' }, { format: 'multipart' })
    expect(multipart.json()).toMatchObject({ type: 'multipart/form-data', body: { title: 'x' } })
  })

  it("puts a GET's data in the query string", async () => {
    const client = testClient(app)
    const res = await client.get('/echo', { search: 'milk', id: [1, 2] })
    expect(res.json()).toEqual({ query: { search: 'milk', id: ['1', '2'] } })
  })

  it('sends credentials with every request until cleared; a request header wins', async () => {
    const client = testClient(app)
    client.credentials({ Authorization: 'Key good' })
    expect((await client.get('/private')).json()).toEqual({ user: 'keyed' })
    expect((await client.get('/private')).json()).toEqual({ user: 'keyed' })
    const other = await client.get('/private', undefined, { headers: { authorization: 'Key bad' } })
    expect(other.status).toBe(401)
    client.credentials()
    expect((await client.get('/private')).status).toBe(401)
  })

  it('keeps the cookies the app sets, and drops a cleared one', async () => {
    const client = testClient(app)
    await client.get('/cookie')
    expect(client.cookies()).toEqual({ flavour: 'oat' })
    expect((await client.get('/cookie/read')).json()).toEqual({ cookies: { flavour: 'oat' } })
    await client.get('/cookie/clear')
    expect(client.cookies()).toEqual({})
    expect((await client.get('/cookie/read')).json()).toEqual({ cookies: {} })
  })
})
