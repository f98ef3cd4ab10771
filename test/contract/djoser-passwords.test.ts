import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { sessionRequest, signInEveryWay, stillWorking } from '../helpers/djoser-clients.ts'
import { createMailbox, linkIn, type Mailbox } from '../helpers/mailbox.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// API.md §5: set_password, reset_password, reset_password_confirm; a password change or reset
// ends every other credential of the user, and the one that made the change keeps working.
let t: TestApp
let mailbox: Mailbox
beforeAll(async () => {
  mailbox = createMailbox()
  t = await createTestApp(mailbox.env)
})
afterAll(async () => {
  await t?.close()
  mailbox?.remove()
})
afterEach(() => {
  vi.useRealTimers()
})

const NEW_PASSWORD = 'New-Corr3ct-Horse-Battery'
const post = (url: string, json: unknown, token?: string) =>
  t.request({ method: 'POST', url: `/api/auth/users/${url}/`, json, token })
const tokenLogin = (username: string, password: string) =>
  t.request({ method: 'POST', url: '/api/auth/token/login/', json: { username, password } })

describe('POST /api/auth/users/set_password/', () => {
  it('refuses a wrong current password (and checks nothing else)', async () => {
    const u = await t.user('sp_wrong')
    const res = await post(
      'set_password',
      { new_password: '1', current_password: 'wrong' },
      u.token,
    )
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ current_password: ['Invalid password.'] })
  })

  it('reports every missing field together', async () => {
    const u = await t.user('sp_missing')
    const res = await post('set_password', {}, u.token)
    expect(res.json()).toEqual({
      new_password: ['This field is required.'],
      current_password: ['This field is required.'],
    })
  })

  it("runs Django's validators on new_password", async () => {
    const u = await t.user('sp_weak')
    const res = await post(
      'set_password',
      { new_password: '123', current_password: PASSWORD },
      u.token,
    )
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      new_password: [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    })
    const similar = await post(
      'set_password',
      { new_password: 'sp_weak_1', current_password: PASSWORD },
      u.token,
    )
    expect(similar.json()).toEqual({
      new_password: ['The password is too similar to the username.'],
    })
  })

  it('is 204 and the new password logs in, the old one no longer', async () => {
    const u = await t.user('sp_ok')
    const res = await post(
      'set_password',
      { new_password: NEW_PASSWORD, current_password: PASSWORD },
      u.token,
    )
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expect((await tokenLogin('sp_ok', NEW_PASSWORD)).statusCode).toBe(200)
    expect((await tokenLogin('sp_ok', PASSWORD)).statusCode).toBe(400)
  })

  it('takes long passwords whole: no truncation', async () => {
    const u = await t.user('sp_long')
    const long = `${'Long-pass-phrase '.repeat(6)}end`
    const res = await post(
      'set_password',
      { new_password: long, current_password: PASSWORD },
      u.token,
    )
    expect(res.statusCode).toBe(204)
    expect((await tokenLogin('sp_long', long.slice(0, 72))).statusCode).toBe(400)
    expect((await tokenLogin('sp_long', long)).statusCode).toBe(200)
  })

  it('is for authenticated users only', async () => {
    const res = await post('set_password', {
      new_password: NEW_PASSWORD,
      current_password: PASSWORD,
    })
    expect(res.statusCode).toBe(401)
  })

  it('mails a confirmation when PASSWORD_CHANGED_EMAIL_CONFIRMATION is on', async () => {
    const confirming = await createTestApp({
      ...mailbox.env,
      PASSWORD_CHANGED_EMAIL_CONFIRMATION: '1',
    })
    try {
      const u = await confirming.user('sp_mail')
      await confirming.request({
        method: 'POST',
        url: '/api/auth/users/set_password/',
        json: { new_password: NEW_PASSWORD, current_password: PASSWORD },
        token: u.token,
      })
      const mail = await mailbox.waitForMail(u.email)
      expect(mail.subject).toBe('Portcullis - Your password has been successfully changed!')
      expect(mail.text).toContain('Your password has been changed!')
    } finally {
      await confirming.close()
    }
  })
})

describe('a password change ends the other credentials', () => {
  it('made with a token: that token works, other tokens, sessions and refresh tokens do not', async () => {
    const u = await t.user('end_token')
    const other = await signInEveryWay(t, 'end_token')
    const res = await post(
      'set_password',
      { new_password: NEW_PASSWORD, current_password: PASSWORD },
      u.token,
    )
    expect(res.statusCode).toBe(204)
    expect(await stillWorking(t, { ...other, token: u.token })).toEqual({
      token: true,
      session: false,
      access: true,
      refresh: false,
    })
    expect(await stillWorking(t, other)).toMatchObject({ token: false })
  })

  it('made in a session: that session works, the others and every token do not', async () => {
    await t.user('end_session')
    const mine = await signInEveryWay(t, 'end_session')
    const other = await signInEveryWay(t, 'end_session')
    const res = await sessionRequest(t, mine.session, {
      method: 'POST',
      url: '/api/auth/users/set_password/',
      json: { new_password: NEW_PASSWORD, current_password: PASSWORD },
    })
    expect(res.statusCode).toBe(204)
    expect((await stillWorking(t, mine)).session).toBe(true)
    expect(await stillWorking(t, other)).toEqual({
      token: false,
      session: false,
      access: true,
      refresh: false,
    })
  })

  it('made with a JWT: that access token works until it expires; every refresh token is revoked', async () => {
    await t.user('end_jwt')
    const mine = await signInEveryWay(t, 'end_jwt')
    const res = await t.request({
      method: 'POST',
      url: '/api/auth/users/set_password/',
      headers: { authorization: `Bearer ${mine.jwt.access}` },
      json: { new_password: NEW_PASSWORD, current_password: PASSWORD },
    })
    expect(res.statusCode).toBe(204)
    expect(await stillWorking(t, mine)).toEqual({
      token: false,
      session: false,
      access: true,
      refresh: false,
    })
    const refresh = await t.request({
      method: 'POST',
      url: '/api/token/refresh/',
      json: { refresh: mine.jwt.refresh },
    })
    expect(refresh.statusCode).toBe(401)
    expect(refresh.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' })
    const verify = await t.request({
      method: 'POST',
      url: '/api/token/verify/',
      json: { token: mine.jwt.refresh },
    })
    expect(verify.statusCode).toBe(400)
    expect(verify.json()).toEqual({ non_field_errors: ['Token is blacklisted'] })
    // A login after the change gets refresh tokens that work.
    const again = await signInEveryWay(t, 'end_jwt', NEW_PASSWORD)
    expect(await stillWorking(t, again)).toEqual({
      token: true,
      session: true,
      access: true,
      refresh: true,
    })
  })

  it("leaves other users' credentials alone", async () => {
    await t.user('bystander')
    const theirs = await signInEveryWay(t, 'bystander')
    const u = await t.user('changer')
    await post('set_password', { new_password: NEW_PASSWORD, current_password: PASSWORD }, u.token)
    expect(await stillWorking(t, theirs)).toEqual({
      token: true,
      session: true,
      access: true,
      refresh: true,
    })
  })
})

describe('POST /api/auth/users/reset_password/', () => {
  it('answers 204 whether or not the email has an account: no enumeration', async () => {
    const u = await t.user('rp_known')
    const before = mailbox.all().length
    const known = await post('reset_password', { email: u.email })
    const unknown = await post('reset_password', { email: 'nobody@example.com' })
    expect(known.statusCode).toBe(204)
    expect(unknown.statusCode).toBe(204)
    expect(known.body).toBe(unknown.body)
    expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort())
    const mail = await mailbox.waitForMail(u.email, before)
    expect(mail.subject).toBe('Password reset on Portcullis')
    expect(mail.text).toContain("Your username, in case you've forgotten: rp_known")
    expect(
      mailbox
        .all()
        .slice(before)
        .map((m) => m.to),
    ).toEqual([u.email])
  })

  it('finds the account whatever the case of the email', async () => {
    const u = await t.user('rp_case')
    const before = mailbox.all().length
    await post('reset_password', { email: u.email.toUpperCase() })
    expect((await mailbox.waitForMail(u.email, before)).to).toBe(u.email)
  })

  it('mails no link to an inactive account', async () => {
    const u = await t.user('rp_inactive', { is_active: false })
    const before = mailbox.all().length
    expect((await post('reset_password', { email: u.email })).statusCode).toBe(204)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(mailbox.all().slice(before)).toEqual([])
  })

  it('validates the email field', async () => {
    expect((await post('reset_password', {})).json()).toEqual({
      email: ['This field is required.'],
    })
    // An EmailField's message for a value that is not a string at all, too (not CharField's).
    for (const email of ['nope', ['a@example.com'], true]) {
      expect((await post('reset_password', { email })).json()).toEqual({
        email: ['Enter a valid email address.'],
      })
    }
  })
})

/** Ask for a reset and read the link's uid and token from the mail. */
async function resetLink(email: string) {
  const before = mailbox.all().length
  expect((await post('reset_password', { email })).statusCode).toBe(204)
  return linkIn(await mailbox.waitForMail(email, before), 'password/reset/confirm')
}

describe('POST /api/auth/users/reset_password_confirm/', () => {
  it("follows the mailed link (djoser's URL) to a new password", async () => {
    const u = await t.user('rc_ok')
    const link = await resetLink(u.email)
    expect(link.url).toMatch(
      /^http:\/\/localhost(:80)?\/password\/reset\/confirm\/[\w-]+\/[0-9a-z]+-[0-9a-f]{64}$/,
    )
    expect(Buffer.from(link.uid, 'base64url').toString()).toBe(u.id)
    const res = await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })
    expect(res.statusCode).toBe(204)
    expect((await tokenLogin('rc_ok', NEW_PASSWORD)).statusCode).toBe(200)
    expect((await tokenLogin('rc_ok', PASSWORD)).statusCode).toBe(400)
  })

  it('works once: the same link again is an invalid token', async () => {
    const u = await t.user('rc_once')
    const link = await resetLink(u.email)
    const first = await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })
    expect(first.statusCode).toBe(204)
    const second = await post('reset_password_confirm', {
      ...link,
      new_password: `${NEW_PASSWORD}2`,
    })
    expect(second.statusCode).toBe(400)
    expect(second.json()).toEqual({ token: ['Invalid token for given user.'] })
    expect((await tokenLogin('rc_once', NEW_PASSWORD)).statusCode).toBe(200)
  })

  it('works once even when presented twice at the same moment', async () => {
    const u = await t.user('rc_race')
    const link = await resetLink(u.email)
    const results = await Promise.all([
      post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD }),
      post('reset_password_confirm', { ...link, new_password: `${NEW_PASSWORD}2` }),
    ])
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 400])
    const refused = results.find((r) => r.statusCode === 400)!
    expect(refused.json()).toEqual({ token: ['Invalid token for given user.'] })
    const winner = results[0].statusCode === 204 ? NEW_PASSWORD : `${NEW_PASSWORD}2`
    expect((await tokenLogin('rc_race', winner)).statusCode).toBe(200)
  })

  it('stops working once the user logs in', async () => {
    const u = await t.user('rc_login')
    const link = await resetLink(u.email)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await tokenLogin('rc_login', PASSWORD)).statusCode).toBe(200)
    const res = await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })
    expect(res.json()).toEqual({ token: ['Invalid token for given user.'] })
  })

  it('expires after PASSWORD_RESET_TIMEOUT (three days)', async () => {
    const u = await t.user('rc_expired')
    const link = await resetLink(u.email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 259_200_000 + 2_000)
    const res = await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ token: ['Invalid token for given user.'] })
    vi.setSystemTime(Date.now() - 4_000)
    const inTime = await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })
    expect(inTime.statusCode).toBe(204)
  })

  it("answers the anchor's errors for a bad uid and a bad token", async () => {
    const u = await t.user('rc_bad')
    const link = await resetLink(u.email)
    const badToken = await post('reset_password_confirm', {
      uid: link.uid,
      token: 'bad-token',
      new_password: PASSWORD,
    })
    expect(badToken.json()).toEqual({ token: ['Invalid token for given user.'] })
    const badUid = await post('reset_password_confirm', {
      uid: 'zzz',
      token: 'bad',
      new_password: PASSWORD,
    })
    expect(badUid.statusCode).toBe(400)
    expect(badUid.json()).toEqual({ uid: ["Invalid user id or user doesn't exist."] })
    const otherUser = await t.user('rc_other')
    const swapped = await post('reset_password_confirm', {
      uid: Buffer.from(otherUser.id).toString('base64url'),
      token: link.token,
      new_password: NEW_PASSWORD,
    })
    expect(swapped.json()).toEqual({ token: ['Invalid token for given user.'] })
    expect((await post('reset_password_confirm', {})).json()).toEqual({
      uid: ['This field is required.'],
      token: ['This field is required.'],
      new_password: ['This field is required.'],
    })
  })

  it('judges the new password before the link, as djoser: a weak one is the only error', async () => {
    const weak = await post('reset_password_confirm', {
      uid: 'MQ',
      token: 'abc-def',
      new_password: 'short',
    })
    expect(weak.statusCode).toBe(400)
    expect(weak.json()).toEqual({
      new_password: ['This password is too short. It must contain at least 8 characters.'],
    })
  })

  it("runs Django's validators on new_password, leaving the link usable", async () => {
    const u = await t.user('rc_weak')
    const link = await resetLink(u.email)
    const res = await post('reset_password_confirm', { ...link, new_password: 'password' })
    expect(res.json()).toEqual({ new_password: ['This password is too common.'] })
    const ok = await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })
    expect(ok.statusCode).toBe(204)
  })

  it('ends every credential the user had: tokens, sessions, refresh tokens', async () => {
    await t.user('rc_end')
    const before = await signInEveryWay(t, 'rc_end')
    const link = await resetLink('rc_end@example.com')
    expect(
      (await post('reset_password_confirm', { ...link, new_password: NEW_PASSWORD })).statusCode,
    ).toBe(204)
    expect(await stillWorking(t, before)).toEqual({
      token: false,
      session: false,
      access: true,
      refresh: false,
    })
  })
})
