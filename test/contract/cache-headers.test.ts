import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// What caches may keep: every answer names the request headers it depends on (Vary), and no
// cache stores a user's data, a token or a session (Cache-Control: no-store).
let t: TestApp
let alice: TestUser
beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
})
afterAll(() => t?.close())

const varyOf = (res: LightMyRequestResponse) =>
  String(res.headers.vary ?? '')
    .split(',')
    .map((h) => h.trim())

function expectNotStored(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300)
  expect(res.headers['cache-control'], what).toBe('no-store')
}

describe('Vary', () => {
  it('names the credentials an anonymous answer could have carried, which stays cacheable', async () => {
    const res = await t.request({ method: 'GET', url: '/survey/api/surveys/' })
    expect(res.statusCode).toBe(200)
    expect(varyOf(res)).toEqual(['Accept', 'Authorization', 'Cookie'])
    expect(res.headers['cache-control']).toBeUndefined()
    const refused = await t.request({ method: 'GET', url: '/bucketlists/' })
    expect(refused.statusCode).toBe(401)
    expect(varyOf(refused)).toEqual(['Accept', 'Authorization', 'Cookie'])
  })

  it('names them on an authenticated answer, whichever scheme matched', async () => {
    const res = await t.request({ method: 'GET', url: '/bucketlists/', token: alice.token })
    expect(res.statusCode).toBe(200)
    expect(varyOf(res)).toEqual(['Accept', 'Authorization', 'Cookie'])
  })

  it('adds nothing to a route that reads no credentials', async () => {
    const res = await t.request({ method: 'GET', url: '/openapi.json', token: alice.token })
    expect(res.statusCode).toBe(200)
    expect(varyOf(res)).toEqual(['Accept'])
    expect(res.headers['cache-control']).toBeUndefined()
  })
})

describe('Cache-Control: no-store', () => {
  it('marks every answer to an authenticated request (Token, Basic, Bearer, session)', async () => {
    expectNotStored(
      await t.request({ method: 'GET', url: '/bucketlists/', token: alice.token }),
      'token',
    )
    expectNotStored(
      await t.request({ method: 'GET', url: '/api/auth/users/me/', basic: ['alice', PASSWORD] }),
      'basic',
    )
    const pair = await t.request({
      method: 'POST',
      url: '/api/token/',
      json: { username: 'alice', password: PASSWORD },
    })
    expectNotStored(
      await t.request({
        method: 'GET',
        url: '/api/rest-auth/user/',
        headers: { authorization: `Bearer ${pair.json().access}` },
      }),
      'bearer',
    )
    const login = await t.request({
      method: 'POST',
      url: '/api/rest-auth/login/',
      json: { username: 'alice', password: PASSWORD },
    })
    const session = login.cookies.find((c) => c.name === 'sessionid')!.value
    expectNotStored(
      await t.request({
        method: 'GET',
        url: '/api/rest-auth/user/',
        headers: { cookie: `sessionid=${session}` },
      }),
      'session',
    )
  })

  it('marks every answer that carries a token or sets a session', async () => {
    const credentials = { username: 'alice', password: PASSWORD }
    for (const url of [
      '/get-token/',
      '/api/auth/token/login/',
      '/api/token/',
      '/api/rest-auth/login/',
    ]) {
      expectNotStored(await t.request({ method: 'POST', url, json: credentials }), url)
    }
    const pair = await t.request({ method: 'POST', url: '/api/token/', json: credentials })
    expectNotStored(
      await t.request({
        method: 'POST',
        url: '/api/token/refresh/',
        json: { refresh: pair.json().refresh },
      }),
      'refresh',
    )
    const registered = await t.request({
      method: 'POST',
      url: '/api/rest-auth/registration/',
      json: {
        username: 'newcomer',
        email: 'newcomer@example.com',
        password1: PASSWORD,
        password2: PASSWORD,
      },
    })
    expectNotStored(registered, 'registration')
    expect(registered.json().key).toBeTypeOf('string')
  })

  it("marks an anonymous answer that sets a cookie (the browsable page's CSRF cookie)", async () => {
    const res = await t.request({
      method: 'GET',
      url: '/survey/api/surveys/',
      headers: { accept: 'text/html' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.cookies.map((c) => c.name)).toContain('csrftoken')
    expect(res.headers['cache-control']).toBe('no-store')
  })
})
