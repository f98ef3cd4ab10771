import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMailbox, linkIn, type Mailbox } from '../helpers/mailbox.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// The anchor's walk through djoser (OBSERVED.md "1 + 5"), request by request, with its bodies.
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

it("answers the anchor's djoser walk", async () => {
  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    json?: unknown,
    token?: string,
  ) => {
    const res = await t.request({ method, url: `/api/auth/${path}`, json, token })
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() }
  }
  const created = await call('POST', 'users/', {
    username: 'tmpuser',
    email: 'tmp@example.com',
    password: PASSWORD,
  })
  expect(created.status).toBe(201)
  const id = created.body.id as string
  const login = await call('POST', 'token/login/', { username: 'tmpuser', password: PASSWORD })
  let token = login.body.auth_token as string

  expect(
    await call(
      'POST',
      'users/set_password/',
      { new_password: 'New-Corr3ct-Horse-Battery', current_password: 'wrong' },
      token,
    ),
  ).toEqual({ status: 400, body: { current_password: ['Invalid password.'] } })
  expect(
    await call(
      'POST',
      'users/set_password/',
      { new_password: 'New-Corr3ct-Horse-Battery', current_password: PASSWORD },
      token,
    ),
  ).toEqual({ status: 204, body: undefined })
  const relogin = await call('POST', 'token/login/', {
    username: 'tmpuser',
    password: 'New-Corr3ct-Horse-Battery',
  })
  expect(relogin.status).toBe(200)
  expect(relogin.body.auth_token).toMatch(/^[0-9a-f]{40}$/)

  const before = mailbox.all().length
  expect(await call('POST', 'users/reset_password/', { email: 'tmp@example.com' })).toEqual({
    status: 204,
    body: undefined,
  })
  expect(await call('POST', 'users/reset_password/', { email: 'nobody@example.com' })).toEqual({
    status: 204,
    body: undefined,
  })
  const link = linkIn(
    await mailbox.waitForMail('tmp@example.com', before),
    'password/reset/confirm',
  )
  expect(link.uid).toBe(Buffer.from(id).toString('base64url'))

  expect(
    await call('POST', 'users/reset_password_confirm/', {
      uid: link.uid,
      token: 'bad-token',
      new_password: PASSWORD,
    }),
  ).toEqual({ status: 400, body: { token: ['Invalid token for given user.'] } })
  expect(
    await call('POST', 'users/reset_password_confirm/', {
      uid: 'zzz',
      token: 'bad',
      new_password: PASSWORD,
    }),
  ).toEqual({ status: 400, body: { uid: ["Invalid user id or user doesn't exist."] } })
  expect(
    await call('POST', 'users/reset_password_confirm/', {
      ...link,
      new_password: 'Reset-Corr3ct-Horse-Battery',
    }),
  ).toEqual({ status: 204, body: undefined })
  const afterReset = await call('POST', 'token/login/', {
    username: 'tmpuser',
    password: 'Reset-Corr3ct-Horse-Battery',
  })
  expect(afterReset.status).toBe(200)
  token = afterReset.body.auth_token

  expect(await call('POST', 'users/activation/', { uid: 'zzz', token: 'bad' })).toEqual({
    status: 400,
    body: { uid: ["Invalid user id or user doesn't exist."] },
  })
  expect(await call('POST', 'users/activation/', { uid: link.uid, token: 'bad' })).toEqual({
    status: 400,
    body: { token: ['Invalid token for given user.'] },
  })
  // The anchor answers 400 here (quirk 6); 204 for any well-formed email tells no one who has an
  // account (issue 17, item 12).
  expect(await call('POST', 'users/resend_activation/', { email: 'tmp@example.com' })).toEqual({
    status: 204,
    body: undefined,
  })

  const spare = (
    await call('POST', 'token/login/', {
      username: 'tmpuser',
      password: 'Reset-Corr3ct-Horse-Battery',
    })
  ).body.auth_token as string
  expect(await call('POST', 'token/logout/', undefined, token)).toEqual({
    status: 204,
    body: undefined,
  })
  expect(await call('GET', 'users/me/', undefined, token)).toEqual({
    status: 401,
    body: { detail: 'Invalid token.' },
  })
  expect(await call('DELETE', 'users/me/', { current_password: 'wrong' }, spare)).toEqual({
    status: 400,
    body: { current_password: ['Invalid password.'] },
  })
  expect(
    await call('DELETE', 'users/me/', { current_password: 'Reset-Corr3ct-Horse-Battery' }, spare),
  ).toEqual({
    status: 204,
    body: undefined,
  })
  expect(
    await call('POST', 'token/login/', {
      username: 'tmpuser',
      password: 'Reset-Corr3ct-Horse-Battery',
    }),
  ).toEqual({
    status: 400,
    body: { non_field_errors: ['Unable to log in with provided credentials.'] },
  })
})
