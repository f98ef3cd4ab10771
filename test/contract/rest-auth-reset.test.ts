import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../helpers/cookies.ts'
import { createMailbox, linkIn, type Mailbox } from '../helpers/mailbox.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// rest-auth's password reset (beyond API.md §6, as the anchor has it) and registration with
// activation on, reading the mails from the file backend and following their links.
let t: TestApp
let outbox: Mailbox
beforeAll(async () => {
  outbox = createMailbox()
  t = await createTestApp(outbox.env)
})
afterAll(async () => {
  await t?.close()
  outbox?.remove()
})

const API = '/api/rest-auth'
const NEW_PASSWORD = 'Reset-Corr3ct-Horse-Battery'
const RESET_PATH = 'password/reset/confirm'
const SENT = { detail: 'Password reset e-mail has been sent.' }
const INVALID_TOKEN = { token: ['Invalid value'] }

const post = (url: string, json: unknown, token?: string) =>
  t.request({ method: 'POST', url: `${API}${url}`, json, token })
const confirm = (json: Record<string, string>, password = NEW_PASSWORD) =>
  post('/password/reset/confirm/', { new_password1: password, new_password2: password, ...json })
const whoAmI = (headers: { token?: string; jar?: CookieJar }) =>
  t.request({
    method: 'GET',
    url: `${API}/user/`,
    token: headers.token,
    headers: headers.jar ? { cookie: headers.jar.header() } : {},
  })

async function login(username: string, password = PASSWORD) {
  const res = await post('/login/', { username, password })
  return { status: res.statusCode, key: res.json().key as string, jar: new CookieJar().take(res) }
}

/** Ask for a reset of `email` and return the link's uid and token from the mail. */
async function resetLink(email: string) {
  const seen = outbox.all().length
  const res = await post('/password/reset/', { email })
  expect(res.statusCode).toBe(200)
  expect(res.json()).toEqual(SENT)
  const mail = await outbox.waitForMail(email.toLowerCase(), seen)
  const { uid, token } = linkIn(mail, RESET_PATH)
  return { uid, token }
}

describe('POST /api/rest-auth/password/reset/', () => {
  it('answers 200 for every address and mails only an active account', async () => {
    await t.user('sleeper', { is_active: false })
    await t.user('mallory')
    const seen = outbox.all().length
    for (const email of ['nobody@example.com', 'sleeper@example.com', 'mallory@example.com']) {
      const res = await post('/password/reset/', { email })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual(SENT)
    }
    const mail = await outbox.waitForMail('mallory@example.com', seen)
    await sleep(200)
    expect(outbox.all()).toHaveLength(seen + 1)
    expect(mail.to).toBe('mallory@example.com')
  })

  it.each([
    [{ email: 'not-an-email' }, { email: ['Enter a valid email address.'] }],
    [{}, { email: ['This field is required.'] }],
  ])('refuses %j with 400 %j', async (json, body) => {
    const res = await post('/password/reset/', json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(body)
  })
})

describe('POST /api/rest-auth/password/reset/confirm/', () => {
  it('sets the password from the mailed link once, and ends every session and token', async () => {
    const ivan = await t.user('ivan')
    const session = await login('ivan')
    const link = await resetLink('ivan@example.com')

    const mismatch = await confirm({ ...link, new_password2: 'something-else-1234' })
    expect(mismatch.statusCode).toBe(400)
    expect(mismatch.json()).toEqual({ new_password2: ['The two password fields didn’t match.'] })
    const weak = await confirm(link, 'short')
    expect(weak.json()).toEqual({
      new_password2: ['This password is too short. It must contain at least 8 characters.'],
    })

    const res = await confirm(link)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ detail: 'Password has been reset with the new password.' })
    for (const token of [ivan.token, session.key]) {
      expect((await whoAmI({ token })).json()).toEqual({ detail: 'Invalid token.' })
    }
    expect((await whoAmI({ jar: session.jar })).statusCode).toBe(401)
    expect((await login('ivan')).status).toBe(400)
    expect((await login('ivan', NEW_PASSWORD)).status).toBe(200)

    const again = await confirm(link, 'Another-Corr3ct-Horse')
    expect(again.statusCode).toBe(400)
    expect(again.json()).toEqual(INVALID_TOKEN)
  })

  it('takes a link once even when it is presented twice at the same moment', async () => {
    await t.user('judy')
    const link = await resetLink('judy@example.com')
    const results = await Promise.all([confirm(link), confirm(link, 'Other-Corr3ct-Horse-Battery')])
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400])
    expect(results.find((r) => r.statusCode === 400)!.json()).toEqual(INVALID_TOKEN)
  })

  it('refuses a bad uid, then a bad token, with rest-auth’s messages', async () => {
    const ken = await t.user('ken')
    const uid = Buffer.from(ken.id).toString('base64url')
    for (const bad of [
      'zzz',
      Buffer.from('00000000-0000-4000-8000-000000000000').toString('base64url'),
    ]) {
      const res = await confirm({ uid: bad, token: 'x' })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ uid: ['Invalid value'] })
    }
    const forged = await confirm({ uid, token: `${'1'.repeat(6)}-${'0'.repeat(64)}` })
    expect(forged.statusCode).toBe(400)
    expect(forged.json()).toEqual(INVALID_TOKEN)
    expect((await confirm({ uid, token: 'x' })).json()).toEqual(INVALID_TOKEN)
    // A link for another account does not reset this one.
    await t.user('leo')
    const leo = await resetLink('leo@example.com')
    expect((await confirm({ uid, token: leo.token })).json()).toEqual(INVALID_TOKEN)
  })

  it('names every missing field', async () => {
    const res = await post('/password/reset/confirm/', {})
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      new_password1: ['This field is required.'],
      new_password2: ['This field is required.'],
      uid: ['This field is required.'],
      token: ['This field is required.'],
    })
  })
})

describe('registration with SEND_ACTIVATION_EMAIL=1', () => {
  // A server of its own with activation on; the requests above went to one with it off.
  let activationOff: TestApp
  beforeAll(async () => {
    activationOff = t
    t = await createTestApp({ ...outbox.env, SEND_ACTIVATION_EMAIL: '1' })
  })
  afterAll(async () => {
    await t?.close()
    t = activationOff
  })

  it('creates an inactive account, mails the activation link, and logs nobody in', async () => {
    const seen = outbox.all().length
    const res = await post('/registration/', {
      username: 'verified',
      email: 'verified@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual({ detail: 'Verification e-mail sent.' })
    expect(res.headers['set-cookie']).toBeUndefined()
    expect((await login('verified')).status).toBe(400)

    const mail = await outbox.waitForMail('verified@example.com', seen)
    const { uid, token } = linkIn(mail, 'activate')
    const link = { uid, token }
    const activation = await t.request({
      method: 'POST',
      url: '/api/auth/users/activation/',
      json: link,
    })
    expect(activation.statusCode).toBe(204)
    expect((await login('verified')).status).toBe(200)
  })
})
