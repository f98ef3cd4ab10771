import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretKeyOf } from '../../src/accounts/credentials/secret-key.ts'
import { makeToken } from '../../src/accounts/index.ts'
import { createMailbox, linkIn, type Mailbox } from '../helpers/mailbox.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// API.md §5 with SEND_ACTIVATION_EMAIL=1: inactive until the mailed link is followed; and the
// answers while it is off.
let on: TestApp
let off: TestApp
/** The server the requests below go to: `on` or `off`, per describe. */
let t: TestApp
let mailbox: Mailbox
beforeAll(async () => {
  mailbox = createMailbox()
  on = await createTestApp({ ...mailbox.env, SEND_ACTIVATION_EMAIL: '1' })
  off = await createTestApp(mailbox.env)
})
afterAll(async () => {
  await on?.close()
  await off?.close()
  mailbox?.remove()
})

const post = (url: string, json: unknown, headers: Record<string, string> = {}) =>
  t.request({ method: 'POST', url: `/api/auth/users/${url}`, json, headers })
const register = (username: string) =>
  post('', { username, email: `${username}@example.com`, password: PASSWORD })
const tokenLogin = (username: string) =>
  t.request({
    method: 'POST',
    url: '/api/auth/token/login/',
    json: { username, password: PASSWORD },
  })

/** Register with activation on; the uid and token of the mailed link. */
async function registerInactive(username: string) {
  const before = mailbox.all().length
  const res = await register(username)
  expect(res.statusCode).toBe(201)
  const mail = await mailbox.waitForMail(`${username}@example.com`, before)
  return { id: res.json().id as string, mail, link: linkIn(mail, 'activate') }
}

describe('activation on (SEND_ACTIVATION_EMAIL=1)', () => {
  beforeAll(() => {
    t = on
  })

  it('registers an inactive account and mails the activation link', async () => {
    const { id, mail, link } = await registerInactive('ann')
    expect(mail.subject).toBe('Account activation on Portcullis')
    expect(link.url).toMatch(/^http:\/\/localhost(:80)?\/activate\/[\w-]+\/[0-9a-z]+-[0-9a-f]{64}$/)
    expect(Buffer.from(link.uid, 'base64url').toString()).toBe(id)
    expect(mail.html).toContain(`href="${link.url}"`)
    const login = await tokenLogin('ann')
    expect(login.statusCode).toBe(400)
    expect(login.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    })
  })

  it('activates with the link (204), once: then the link is stale (403)', async () => {
    const { link } = await registerInactive('ben')
    const res = await post('activation/', link)
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    const again = await post('activation/', link)
    expect(again.statusCode).toBe(403)
    expect(again.json()).toEqual({ detail: 'Stale token for given user.' })
    // A login moves last_login, which voids the link altogether, as in Django.
    expect((await tokenLogin('ben')).statusCode).toBe(200)
    expect((await post('activation/', link)).json()).toEqual({
      token: ['Invalid token for given user.'],
    })
    const forged = await post('activation/', { uid: link.uid, token: 'bad' })
    expect(forged.statusCode).toBe(400)
    expect(forged.json()).toEqual({ token: ['Invalid token for given user.'] })
  })

  it('refuses a reset link as an activation link (tokens have a purpose), and a tampered one', async () => {
    const { id, link } = await registerInactive('cat')
    const user = await t.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const resetToken = makeToken(user, secretKeyOf(t.app), Date.now(), 'password_reset')
    const asReset = await post('activation/', { uid: link.uid, token: resetToken })
    expect(asReset.statusCode).toBe(400)
    expect(asReset.json()).toEqual({ token: ['Invalid token for given user.'] })
    const last = link.token.at(-1)
    const tampered = `${link.token.slice(0, -1)}${last === '0' ? '1' : '0'}`
    const wrong = await post('activation/', { uid: link.uid, token: tampered })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json()).toEqual({ token: ['Invalid token for given user.'] })
    const row = await t.db
      .selectFrom('users')
      .select('is_active')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(Boolean(row.is_active)).toBe(false)
  })

  it('resends the link to an inactive account only, and always answers 204', async () => {
    const { link: first } = await registerInactive('dan')
    const before = mailbox.all().length
    const res = await post('resend_activation/', { email: 'dan@example.com' })
    expect(res.statusCode).toBe(204)
    const resent = linkIn(await mailbox.waitForMail('dan@example.com', before), 'activate')
    expect(resent.uid).toBe(first.uid)
    expect((await post('activation/', resent)).statusCode).toBe(204)

    const after = mailbox.all().length
    const active = await post('resend_activation/', { email: 'dan@example.com' })
    const unknown = await post('resend_activation/', { email: 'nobody@example.com' })
    expect([active.statusCode, unknown.statusCode]).toEqual([204, 204])
    expect(active.body).toBe(unknown.body)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(mailbox.all().slice(after)).toEqual([])
    expect((await post('resend_activation/', { email: 'x' })).json()).toEqual({
      email: ['Enter a valid email address.'],
    })
  })

  it('takes the links from DOMAIN and names the site SITE_NAME', async () => {
    const branded = await createTestApp({
      ...mailbox.env,
      SEND_ACTIVATION_EMAIL: '1',
      DOMAIN: 'app.example.com',
      SITE_NAME: 'Example & Co',
    })
    t = branded
    try {
      const { mail, link } = await registerInactive('eve')
      expect(link.url.startsWith('http://app.example.com/activate/')).toBe(true)
      expect(mail.subject).toBe('Account activation on Example & Co')
      expect(mail.html).toContain('Example &amp; Co')
    } finally {
      t = on
      await branded.close()
    }
  })

  it('never builds a link from a Host header it does not know (reset poisoning)', async () => {
    await register('fay')
    const before = mailbox.all().length
    const res = await post(
      'resend_activation/',
      { email: 'fay@example.com' },
      { host: 'attacker.example' },
    )
    // Refused before the view runs, as Django's ALLOWED_HOSTS check refuses it.
    expect(res.statusCode).toBe(400)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(mailbox.all().slice(before)).toEqual([])
  })

  it('deactivates an account whose email changes and mails the new address (djoser 2.1)', async () => {
    const { link } = await registerInactive('gus')
    await post('activation/', link)
    const token = (await tokenLogin('gus')).json().auth_token
    const before = mailbox.all().length
    const res = await t.request({
      method: 'PATCH',
      url: '/api/auth/users/me/',
      token,
      json: { email: 'gus@example.org' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().email).toBe('gus@example.org')
    const relink = linkIn(await mailbox.waitForMail('gus@example.org', before), 'activate')
    expect((await t.request({ method: 'GET', url: '/api/auth/users/me/', token })).statusCode).toBe(
      401,
    )
    expect((await post('activation/', relink)).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: '/api/auth/users/me/', token })).statusCode).toBe(
      200,
    )
  })
})

describe('activation off (the default)', () => {
  beforeAll(() => {
    t = off
  })

  it('registers active accounts and sends no mail', async () => {
    const before = mailbox.all().length
    expect((await register('hal')).statusCode).toBe(201)
    expect((await tokenLogin('hal')).statusCode).toBe(200)
    expect(mailbox.all().slice(before)).toEqual([])
  })

  // djoser answers 400 here (anchor quirk 6), and 400 for an unknown address when on: a 204 for
  // any well-formed email tells no one which addresses have accounts (issue 17, item 12).
  it('answers resend_activation 204, empty, for a known or an unknown email, and mails nothing', async () => {
    const before = mailbox.all().length
    for (const email of ['hal@example.com', 'nobody-at-all@example.com']) {
      const res = await post('resend_activation/', { email })
      expect(res.statusCode).toBe(204)
      expect(res.body).toBe('')
    }
    expect((await post('resend_activation/', { email: 'x' })).statusCode).toBe(400)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(mailbox.all().slice(before)).toEqual([])
  })

  it("answers the anchor's errors for a bad uid or token, and 403 for an active account", async () => {
    const badUid = await post('activation/', { uid: 'zzz', token: 'bad' })
    expect(badUid.statusCode).toBe(400)
    expect(badUid.json()).toEqual({ uid: ["Invalid user id or user doesn't exist."] })
    const hal = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'hal')
      .executeTakeFirstOrThrow()
    const uid = Buffer.from(hal.id).toString('base64url')
    const badToken = await post('activation/', { uid, token: 'bad' })
    expect(badToken.json()).toEqual({ token: ['Invalid token for given user.'] })
    expect((await post('activation/', {})).json()).toEqual({
      uid: ['This field is required.'],
      token: ['This field is required.'],
    })
  })
})
