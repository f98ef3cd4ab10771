import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwtApp, type JwtTestApp } from '../helpers/jwt-app.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §6 and the anchor's "Seed 004: simplejwt" walk (rotation off), status and body exact.
let t: TestApp
let s: JwtTestApp
let alice: TestUser
beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  s = await createJwtApp(t)
})
afterAll(async () => {
  await s?.close()
  await t?.close()
})

const BEARER = 'Bearer realm="api"'
const INVALID = { detail: 'Token is invalid or expired', code: 'token_not_valid' }
const WRONG_TYPE = { detail: 'Token has wrong type', code: 'token_not_valid' }
const BLACKLISTED = { detail: 'Token is blacklisted', code: 'token_not_valid' }
const notValid = (message: string) => ({
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
})

async function login(username = 'alice', password = PASSWORD) {
  const res = await s.post('/api/token/', { username, password })
  expect(res.statusCode).toBe(200)
  return res.json() as { refresh: string; access: string }
}

describe('POST /api/token/', () => {
  it('answers {refresh, access} with simplejwt claims for the user', async () => {
    const res = await s.post('/api/token/', { username: 'alice', password: PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json())).toEqual(['refresh', 'access'])
    const refresh = decodeJwt(res.json().refresh)
    const access = decodeJwt(res.json().access)
    expect(Object.keys(refresh)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id'])
    expect(Object.keys(access)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id'])
    expect(refresh).toMatchObject({ token_type: 'refresh', user_id: alice.id })
    expect(access).toMatchObject({ token_type: 'access', user_id: alice.id, iat: refresh.iat })
    expect(refresh.exp! - refresh.iat!).toBe(86_400)
    expect(access.exp! - access.iat!).toBe(300)
    expect(access.jti).toMatch(/^[0-9a-f]{32}$/)
    expect(access.jti).not.toBe(refresh.jti)
  })

  it('takes the email in the username field', async () => {
    const res = await s.post('/api/token/', { username: 'alice@example.com', password: PASSWORD })
    expect(res.statusCode).toBe(200)
  })

  it.each([
    ['a wrong password', 'alice', 'nope'],
    ['an unknown user', 'nobody', PASSWORD],
  ])('refuses %s with 401 and the Bearer challenge', async (_label, username, password) => {
    const res = await s.post('/api/token/', { username, password })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe(BEARER)
    expect(res.json()).toEqual({ detail: 'No active account found with the given credentials' })
  })

  it('refuses an inactive user like a wrong password', async () => {
    await t.user('sleepy', { is_active: false })
    const res = await s.post('/api/token/', { username: 'sleepy', password: PASSWORD })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'No active account found with the given credentials' })
  })

  it.each([
    [{ username: 'alice' }, { password: ['This field is required.'] }],
    [{}, { username: ['This field is required.'], password: ['This field is required.'] }],
    [{ username: '', password: PASSWORD }, { username: ['This field may not be blank.'] }],
  ])('answers 400 field errors for %o', async (json, errors) => {
    const res = await s.post('/api/token/', json)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(errors)
  })

  it('leaves last_login alone unless JWT_UPDATE_LAST_LOGIN is on', async () => {
    const lastLogin = async () =>
      (
        await t.db
          .selectFrom('users')
          .select('last_login')
          .where('id', '=', alice.id)
          .executeTakeFirst()
      )?.last_login
    await login()
    expect(await lastLogin()).toBeNull()
    const updating = await createJwtApp(t, { updateLastLogin: true })
    const res = await updating.post('/api/token/', { username: 'alice', password: PASSWORD })
    expect(res.statusCode).toBe(200)
    expect(await lastLogin()).not.toBeNull()
    await updating.close()
  })
})

describe('Authorization: Bearer <access> (JwtScheme)', () => {
  it('authenticates the user; request.auth is the claims', async () => {
    const { access } = await login()
    const res = await s.bearer(access)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ username: 'alice', auth: decodeJwt(access) })
  })

  it('takes the keyword in any case', async () => {
    const { access } = await login()
    const res = await s.app.inject({
      url: '/probe/',
      headers: { authorization: `bearer ${access}` },
    })
    expect(res.statusCode).toBe(200)
  })

  it("names the view's first scheme in the challenge (Basic here), with simplejwt's body", async () => {
    const res = await s.bearer('garbage')
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual(notValid('Token is invalid or expired'))
  })

  it('challenges with Bearer where JWT comes first, for bad and for missing credentials', async () => {
    const bad = await s.bearer('garbage', 'GET', '/probe/jwt-first/')
    expect(bad.statusCode).toBe(401)
    expect(bad.headers['www-authenticate']).toBe(BEARER)
    const anonymous = await s.app.inject({ url: '/probe/jwt-first/' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.headers['www-authenticate']).toBe(BEARER)
    expect(anonymous.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('refuses a refresh token: "Token has wrong type"', async () => {
    const { refresh } = await login()
    const res = await s.bearer(refresh)
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(notValid('Token has wrong type'))
  })

  it('refuses an access token once its 300 seconds are over', async () => {
    const { access } = await login()
    s.clock.advance(299)
    expect((await s.bearer(access)).statusCode).toBe(200)
    s.clock.advance(1)
    const res = await s.bearer(access)
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(notValid('Token is invalid or expired'))
  })

  it.each([['Bearer'], ['Bearer a b']])('refuses the header %j as malformed', async (header) => {
    const res = await s.app.inject({ url: '/probe/', headers: { authorization: header } })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({
      detail: 'Authorization header must contain two space-delimited values',
      code: 'bad_authorization_header',
    })
  })

  it('refuses a user made inactive, and one deleted, after the token was issued', async () => {
    const dozy = await t.user('dozy')
    const { access } = await login('dozy')
    await t.db.updateTable('users').set({ is_active: false }).where('id', '=', dozy.id).execute()
    const inactive = await s.bearer(access)
    expect(inactive.statusCode).toBe(401)
    expect(inactive.json()).toEqual({ detail: 'User is inactive', code: 'user_inactive' })
    await t.db.deleteFrom('users').where('id', '=', dozy.id).execute()
    const gone = await s.bearer(access)
    expect(gone.statusCode).toBe(401)
    expect(gone.json()).toEqual({ detail: 'User not found', code: 'user_not_found' })
  })

  it('leaves Token and Basic headers to their schemes', async () => {
    const res = await s.app.inject({
      url: '/probe/',
      headers: { authorization: `Token ${alice.token}` },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().username).toBe('alice')
  })
})

describe('POST /api/token/refresh/ (rotation off)', () => {
  it('answers {access} only, an access token that works', async () => {
    const { refresh } = await login()
    const res = await s.post('/api/token/refresh/', { refresh })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json())).toEqual(['access'])
    expect(decodeJwt(res.json().access).iat).toBe(decodeJwt(refresh).iat)
    expect((await s.bearer(res.json().access)).statusCode).toBe(200)
  })

  it.each([
    ['garbage', async () => 'garbage', INVALID],
    ['an access token', async () => (await login()).access, WRONG_TYPE],
  ])('refuses %s with 401 and the Bearer challenge', async (_label, token, body) => {
    const res = await s.post('/api/token/refresh/', { refresh: await token() })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe(BEARER)
    expect(res.json()).toEqual(body)
  })

  it('requires the field', async () => {
    const res = await s.post('/api/token/refresh/', {})
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ refresh: ['This field is required.'] })
  })

  it('refuses a refresh token after its day', async () => {
    const { refresh } = await login()
    s.clock.advance(86_400)
    const res = await s.post('/api/token/refresh/', { refresh })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(INVALID)
  })

  it('refuses the refresh token of a user made inactive (beyond simplejwt 5.2)', async () => {
    const drowsy = await t.user('drowsy')
    const { refresh } = await login('drowsy')
    await t.db.updateTable('users').set({ is_active: false }).where('id', '=', drowsy.id).execute()
    const res = await s.post('/api/token/refresh/', { refresh })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(INVALID)
  })
})

describe('POST /api/token/verify/', () => {
  it('answers {} for an access and for a refresh token', async () => {
    const { refresh, access } = await login()
    for (const token of [access, refresh]) {
      const res = await s.post('/api/token/verify/', { token })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({})
    }
  })

  it('refuses garbage and expired tokens with 401, a missing field with 400', async () => {
    const { access } = await login()
    s.clock.advance(300)
    for (const token of ['garbage', access]) {
      const res = await s.post('/api/token/verify/', { token })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual(INVALID)
    }
    const missing = await s.post('/api/token/verify/', {})
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toEqual({ token: ['This field is required.'] })
  })
})

describe('POST /api/token/blacklist/', () => {
  it('blacklists a refresh token: refresh, blacklist and verify then refuse it', async () => {
    const { refresh, access } = await login()
    const res = await s.post('/api/token/blacklist/', { refresh })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({})
    const again = await s.post('/api/token/blacklist/', { refresh })
    expect(again.statusCode).toBe(401)
    expect(again.headers['www-authenticate']).toBe(BEARER)
    expect(again.json()).toEqual(BLACKLISTED)
    const refreshed = await s.post('/api/token/refresh/', { refresh })
    expect(refreshed.statusCode).toBe(401)
    expect(refreshed.json()).toEqual(BLACKLISTED)
    // The anchor's quirk: verify says 400 with a non-field error, not 401.
    const verified = await s.post('/api/token/verify/', { token: refresh })
    expect(verified.statusCode).toBe(400)
    expect(verified.json()).toEqual({ non_field_errors: ['Token is blacklisted'] })
    // Access tokens of the pair live on until they expire, as with simplejwt.
    expect((await s.bearer(access)).statusCode).toBe(200)
  })

  it('refuses an access token: "Token has wrong type"', async () => {
    const { access } = await login()
    const res = await s.post('/api/token/blacklist/', { refresh: access })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(WRONG_TYPE)
  })
})

// PostgreSQL refuses U+0000 in any string it is handed (a 500 before): a validly signed token
// whose user_id holds one names a user that cannot be found, and whose jti holds one has no id.
describe('claims holding U+0000', () => {
  async function forged(token_type: 'access' | 'refresh', claims: Record<string, string>) {
    const iat = Math.floor(s.clock.now() / 1000)
    const base = { token_type, exp: iat + 300, iat, jti: 'f'.repeat(32), user_id: alice.id }
    return s.jwt.sign({ ...base, ...claims })
  }
  const NO_ID = { detail: 'Token has no id', code: 'token_not_valid' }

  it('answers a user_id as simplejwt answers a user it cannot find', async () => {
    const access = await forged('access', { user_id: `${alice.id}\u0000` })
    const res = await s.bearer(access)
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'User not found', code: 'user_not_found' })
    const refresh = await forged('refresh', { user_id: 'a\u0000b' })
    const refreshed = await s.post('/api/token/refresh/', { refresh })
    expect(refreshed.statusCode).toBe(401)
    expect(refreshed.json()).toEqual(INVALID)
    // Verify and blacklist do not look the user up (simplejwt 5.2): the token is good to them.
    expect((await s.post('/api/token/verify/', { token: refresh })).statusCode).toBe(200)
    expect((await s.post('/api/token/blacklist/', { refresh })).statusCode).toBe(200)
  })

  it('refuses a jti as an invalid token, wherever the token is presented', async () => {
    const access = await forged('access', { jti: 'a\u0000b' })
    const res = await s.bearer(access)
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(notValid('Token has no id'))
    const refresh = await forged('refresh', { jti: '\u0000' })
    for (const [url, body] of [
      ['/api/token/refresh/', { refresh }],
      ['/api/token/verify/', { token: refresh }],
      ['/api/token/blacklist/', { refresh }],
    ] as const) {
      const answer = await s.post(url, body)
      expect(answer.statusCode, url).toBe(401)
      expect(answer.json(), url).toEqual(NO_ID)
    }
  })
})
