import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mail, Mailer } from '../../src/framework/index.ts'
import { createTestApp, type TestApp, type TestRequest } from '../helpers/test-app.ts'

// A reset (or a resent activation) must not tell by its time whether an address has an account
// (issue 17, item 15): the account is looked up and mailed only after the answer has gone out,
// so the answer is the same work for any address. A mail transport with a real cost (here,
// 25 ms of CPU per message, as rendering and a TLS handshake take) shows any work done before.
let t: TestApp
const sent: string[] = []
const events: string[] = []
const MAIL_COST_MS = 25
const slowMailer: Mailer = {
  async send(mail: Mail) {
    const until = performance.now() + MAIL_COST_MS
    while (performance.now() < until) {}
    events.push(`mail to ${mail.to}`)
    sent.push(mail.to)
  },
}

beforeAll(async () => {
  // Activation on: resend_activation mails an inactive account.
  t = await createTestApp({ SEND_ACTIVATION_EMAIL: '1' }, { mailer: slowMailer })
  await t.user('known')
  await t.user('sleeper', { is_active: false })
})
afterAll(() => t?.close())

async function mailTo(to: string, count: number) {
  for (let i = 0; i < 200 && sent.filter((s) => s === to).length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  expect(sent.filter((s) => s === to).length).toBe(count)
}

const endpoints: [string, (email: string) => TestRequest, string][] = [
  [
    'djoser reset_password',
    (email) => ({ method: 'POST', url: '/api/auth/users/reset_password/', json: { email } }),
    'known@example.com',
  ],
  [
    'rest-auth password reset',
    (email) => ({ method: 'POST', url: '/api/rest-auth/password/reset/', json: { email } }),
    'known@example.com',
  ],
  [
    'djoser resend_activation',
    (email) => ({ method: 'POST', url: '/api/auth/users/resend_activation/', json: { email } }),
    'sleeper@example.com',
  ],
]

describe('a reset answers before any work for the account it names', () => {
  it.each(endpoints)('%s: the answer goes out, then the mail', async (_name, request, known) => {
    const before = sent.filter((s) => s === known).length
    events.length = 0
    const res = await t.request(request(known))
    events.push('answer')
    expect(res.statusCode).toBeLessThan(300)
    await mailTo(known, before + 1)
    expect(events).toEqual(['answer', `mail to ${known}`])
  })
})

// As test/contract/login-timing.test.ts: medians of interleaved tries, compared as a ratio.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

describe('a reset takes the same time for a known and an unknown address', () => {
  it.each(endpoints)('%s', async (_name, request, known) => {
    const time = async (email: string) => {
      const start = performance.now()
      const res = await t.request(request(email))
      const took = performance.now() - start
      expect(res.statusCode).toBeLessThan(300)
      return took
    }
    const a: number[] = []
    const b: number[] = []
    // Each try starts from a quiet server: the mail goes out between tries, not inside the next
    // one's time, and the unknown address gets the same pause.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20))
    for (let i = 0; i < 11; i++) {
      const mailed = sent.filter((s) => s === known).length
      a.push(await time(known))
      await mailTo(known, mailed + 1)
      await pause()
      b.push(await time('nobody-here@example.com'))
      await pause()
    }
    const [withAccount, without] = [median(a), median(b)]
    const times = `known ${withAccount.toFixed(1)} ms, unknown ${without.toFixed(1)} ms`
    // Before the mail went after the answer, a known address took the mail's 25 ms more.
    expect(withAccount / without, times).toBeLessThan(2)
    expect(withAccount / without, times).toBeGreaterThan(0.5)
  })
})
