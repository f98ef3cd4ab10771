import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// What Fastify's router refuses before any hook runs is answered like every other error: DRF's
// body and the security headers. The anchor answers both paths 404 {"detail": "Not found."}.
let t: TestApp
let alice: TestUser

beforeAll(async () => {
  t = await createTestApp({ SECURE_HSTS_SECONDS: '3600' })
  alice = await t.user('alice')
})
afterAll(() => t?.close())

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'strict-transport-security': 'max-age=3600',
}

describe('paths the router cannot route', () => {
  const paths = {
    'a percent escape that decodes to nothing': '/bucketlists/%zz/',
    'a path parameter longer than any id': `/bucketlists/${'a'.repeat(200)}/`,
    'a long parameter in a nested route': `/rbac/organizations/${'9'.repeat(150)}/members/`,
  }

  for (const [name, url] of Object.entries(paths)) {
    it(`answer ${name} 404 in DRF's shape, with the security headers`, async () => {
      for (const token of [alice.token, undefined]) {
        const res = await t.request({ method: 'GET', url, token })
        expect(res.statusCode).toBe(404)
        expect(res.headers['content-type']).toMatch(/^application\/json/)
        expect(res.json()).toEqual({ detail: 'Not found.' })
        expect(res.headers).toMatchObject(SECURITY_HEADERS)
      }
    })
  }

  it('answer a body sent to one the same way', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/%zz/',
      token: alice.token,
      json: { name: 'x' },
    })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ detail: 'Not found.' })
    expect(res.headers).toMatchObject(SECURITY_HEADERS)
  })
})
