import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestRequest } from '../helpers/test-app.ts'

// Login must not tell an attacker whether an account exists: an unknown user costs one password
// hash like a wrong password does. Medians of several interleaved tries, compared as a ratio.
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.user('known')
})
afterAll(() => t?.close())

async function time(request: TestRequest) {
  const start = performance.now()
  const res = await t.request(request)
  expect(res.statusCode).toBeGreaterThanOrEqual(400)
  return performance.now() - start
}

// The two kinds of try alternate, so a busy machine slows both alike.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function medians(unknown: TestRequest, wrong: TestRequest, tries = 15) {
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < tries; i++) {
    a.push(await time(unknown))
    b.push(await time(wrong))
  }
  return [median(a), median(b)]
}

const endpoints: [string, (login: string) => TestRequest][] = [
  [
    'djoser token login',
    (login) => ({
      method: 'POST',
      url: '/api/auth/token/login/',
      json: { username: login, password: 'wrong-password-1' },
    }),
  ],
  [
    'get-token',
    (login) => ({
      method: 'POST',
      url: '/get-token/',
      json: { username: login, password: 'wrong-password-1' },
    }),
  ],
  [
    'JSON session login',
    (login) => ({
      method: 'POST',
      url: '/rbac/auth/login',
      json: { email: login, password: 'wrong-password-1' },
    }),
  ],
  [
    'Basic authentication',
    (login) => ({ method: 'GET', url: '/bucketlists/', basic: [login, 'wrong-password-1'] }),
  ],
]

describe('login time does not reveal whether a user exists', () => {
  it.each(endpoints)('%s', async (_name, request) => {
    await medians(request('warm-up'), request('known'), 2)
    const [unknown, wrong] = await medians(request('nobody-here'), request('known'))
    const ratio = unknown / wrong
    // Without the dummy hash an unknown user would answer about 20 times faster.
    const times = `unknown ${unknown.toFixed(1)} ms, wrong password ${wrong.toFixed(1)} ms`
    expect(ratio, times).toBeGreaterThan(0.5)
    expect(ratio, times).toBeLessThan(2)
  })
})
