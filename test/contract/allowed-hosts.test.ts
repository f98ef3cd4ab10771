import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multipart, png } from '../helpers/images.ts'
import { exchange } from '../helpers/raw-http.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Django's ALLOWED_HOSTS: a Host the server does not answer for is refused before anything builds
// a link (pagination, router roots, avatars, redirects, mailed links) from it.
const REFUSED = {
  detail: 'Invalid HTTP_HOST header. You may need to add its host to ALLOWED_HOSTS.',
}

/** Requests whose answers carry links built from the Host, or that redirect. */
function linkRequests(user: TestUser) {
  return [
    { method: 'GET' as const, url: '/api/', token: user.token },
    { method: 'GET' as const, url: '/bucketlists/?page_size=1', token: user.token },
    { method: 'GET' as const, url: '/api/profiles/', token: user.token },
    { method: 'GET' as const, url: '/bucketlists', token: user.token },
    {
      method: 'GET' as const,
      url: '/api-auth/login/?next=/api/',
      headers: { accept: 'text/html' },
    },
    { method: 'GET' as const, url: '/openapi.json' },
    { method: 'POST' as const, url: '/api/auth/token/login/', json: { username: user.username } },
    { method: 'GET' as const, url: '/no/such/path/' },
  ]
}

describe('the default ALLOWED_HOSTS (localhost, 127.0.0.1, [::1])', () => {
  let t: TestApp
  let alice: TestUser
  beforeAll(async () => {
    t = await createTestApp()
    alice = await t.user('alice')
    await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: alice.token,
      json: { name: 'a' },
    })
    await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: alice.token,
      json: { name: 'b' },
    })
  })
  afterAll(() => t?.close())

  it.each(['evil.example', 'evil.example:80', 'localhost.evil.example', 'EVIL.example'])(
    'answers 400 to Host %s on every route, with the security headers and no foreign host',
    async (host) => {
      for (const request of linkRequests(alice)) {
        const headers = { ...request.headers, host }
        const res = await t.request({ ...request, headers })
        expect(res.statusCode, `${request.method} ${request.url}`).toBe(400)
        expect(res.json()).toEqual(REFUSED)
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
        expect(res.headers['x-content-type-options']).toBe('nosniff')
        expect(res.headers['x-frame-options']).toBe('DENY')
        expect(JSON.stringify(res.headers).toLowerCase()).not.toContain('evil')
        expect(res.body.toLowerCase()).not.toContain('evil')
      }
    },
  )

  it('refuses a Host that is not a host name at all', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/api/',
      headers: { host: 'user@evil.example' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      detail:
        'Invalid HTTP_HOST header. The domain name provided is not valid according to RFC 1034/1035.',
    })
  })

  it('answers on the local names with any port, and links on the Host as sent', async () => {
    for (const host of ['localhost:8000', '127.0.0.1:3000', '[::1]:8080', 'LOCALHOST']) {
      const res = await t.request({
        method: 'GET',
        url: '/api/',
        token: alice.token,
        headers: { host },
      })
      expect(res.statusCode, host).toBe(200)
      expect(res.json().profiles).toBe(`http://${host.toLowerCase()}/api/profiles/`)
    }
  })

  it('ignores X-Forwarded-Host from a client that is not a trusted proxy', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/bucketlists/?page_size=1',
      token: alice.token,
      headers: { 'x-forwarded-host': 'evil.example' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().next).toBe('http://localhost/bucketlists/?page=2&page_size=1')
  })

  it('refuses a request without a Host (HTTP/1.0) rather than link on nothing', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = t.app.server.address() as AddressInfo
    const answer = await exchange(port, 'GET /api/ HTTP/1.0\r\n\r\n', () => {})
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).detail).toMatch(/^Invalid HTTP_HOST header\./)
  })
})

describe('ALLOWED_HOSTS=.example.com behind a trusted proxy', () => {
  let t: TestApp
  let bob: TestUser
  beforeAll(async () => {
    // inject's client address is 127.0.0.1: the proxy in front of the server.
    t = await createTestApp({ ALLOWED_HOSTS: '.example.com', TRUSTED_PROXIES: '127.0.0.1' })
    bob = await t.user('bob')
  })
  afterAll(() => t?.close())

  it('answers for the domain and its subdomains only: the list replaces the local names', async () => {
    const status = async (host: string) =>
      (await t.request({ method: 'GET', url: '/api/', token: bob.token, headers: { host } }))
        .statusCode
    expect(await status('api.example.com')).toBe(200)
    expect(await status('example.com:8443')).toBe(200)
    expect(await status('badexample.com')).toBe(400)
    expect(await status('localhost')).toBe(400)
  })

  it("checks the proxy's X-Forwarded-Host (its last entry), which links then use", async () => {
    const forwarded = (value: string) =>
      t.request({
        method: 'GET',
        url: '/api/',
        token: bob.token,
        headers: { host: 'internal:8000', 'x-forwarded-host': value },
      })
    const ok = await forwarded('api.example.com')
    expect(ok.statusCode).toBe(200)
    expect(ok.json().profiles).toBe('http://api.example.com/api/profiles/')
    expect((await forwarded('evil.example')).statusCode).toBe(400)
    expect((await forwarded('api.example.com, evil.example')).statusCode).toBe(400)
  })

  it('builds avatar URLs on the allowed host', async () => {
    const body = await multipart([
      { field: 'avatar', data: await png(), filename: 'me.png', type: 'image/png' },
    ])
    const res = await t.request({
      method: 'PUT',
      url: '/api/avatar/',
      token: bob.token,
      ...body,
      headers: { ...body.headers, host: 'www.example.com' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().avatar).toMatch(/^http:\/\/www\.example\.com\/media\/avatars\//)
    const refused = await t.request({
      method: 'PUT',
      url: '/api/avatar/',
      token: bob.token,
      ...body,
      headers: { ...body.headers, host: 'evil.example' },
    })
    expect(refused.statusCode).toBe(400)
  })
})
