import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// The reference server's scheme lists: Basic, Token, JWT, Session by default; seed 000 has no JWT.
let t: TestApp
let alice: TestUser
let access: string
beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  const pair = await t.request({
    method: 'POST',
    url: '/api/token/',
    json: { username: 'alice', password: PASSWORD },
  })
  access = pair.json().access
})
afterAll(() => t?.close())

describe('the default scheme list', () => {
  it('accepts each of Basic, Token and JWT on a default view', async () => {
    for (const headers of [
      { authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` },
      { authorization: `Token ${alice.token}` },
      { authorization: `Bearer ${access}` },
    ]) {
      const res = await t.request({ method: 'GET', url: '/rbac/users/me', headers })
      expect(res.statusCode, headers.authorization.split(' ')[0]).toBe(200)
      expect(res.json().username).toBe('alice')
    }
  })

  it('names Basic in the challenge, even for a bad Bearer token (DRF takes the first scheme)', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/rbac/users/me',
      headers: { authorization: 'Bearer garbage' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [
        {
          token_class: 'AccessToken',
          token_type: 'access',
          message: 'Token is invalid or expired',
        },
      ],
    })
  })

  it("does not take JWT on seed 000's views", async () => {
    const res = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      headers: { authorization: `Bearer ${access}` },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })
})
