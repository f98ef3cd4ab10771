import { describe, expect, it } from 'vitest'
import {
  checkToken,
  DEFAULT_TOKEN_TIMEOUT_SECONDS,
  decodeUid,
  encodeUid,
  makeToken,
  type TokenUser,
} from '../../src/accounts/credentials/one-time-token.ts'

// Django's PasswordResetTokenGenerator, ported: what binds a token, and when it stops working.
const SECRET = 'a-secret-key-for-one-time-tokens'
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0)
const user: TokenUser = {
  id: '6f1c5a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  password: '$argon2id$v=19$m=19456,t=2,p=1$salt$hash',
  email: 'alice@example.com',
  is_active: true,
  last_login: '2026-11-20T08:00:00.000Z',
}

describe('makeToken / checkToken', () => {
  const token = makeToken(user, SECRET, NOW)

  it('is `<base36 timestamp>-<hmac-sha256 hex>` and checks for the same user', () => {
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{64}$/)
    const seconds = Number.parseInt(token.split('-')[0]!, 36)
    expect(seconds).toBe((NOW - Date.UTC(2001, 0, 1)) / 1000)
    expect(checkToken(user, token, SECRET, NOW)).toBe(true)
  })

  it('is deterministic for a state and moment, and never the same for another moment', () => {
    expect(makeToken(user, SECRET, NOW)).toBe(token)
    expect(makeToken(user, SECRET, NOW + 1000)).not.toBe(token)
  })

  it.each([
    ['a new password', { password: '$argon2id$other' }],
    ['a login since', { last_login: '2026-11-22T12:30:00.000Z' }],
    ['a new email', { email: 'alice@example.org' }],
    ['a change of the active flag', { is_active: false }],
    ['another user', { id: '00000000-0000-4000-8000-000000000000' }],
  ])('stops working after %s', (_, change) => {
    expect(checkToken({ ...user, ...change }, token, SECRET, NOW)).toBe(false)
  })

  it('reads last_login the same from SQLite text and a PostgreSQL Date', () => {
    const fromPg = { ...user, last_login: new Date('2026-11-20T08:00:00.000Z') }
    expect(checkToken(fromPg, token, SECRET, NOW)).toBe(true)
  })

  it('is refused with another secret or for another purpose', () => {
    expect(checkToken(user, token, `${SECRET}x`, NOW)).toBe(false)
    const activation = makeToken(user, SECRET, NOW, 'activation')
    expect(activation).not.toBe(token)
    expect(checkToken(user, activation, SECRET, NOW)).toBe(false)
    expect(
      checkToken(user, activation, SECRET, NOW, DEFAULT_TOKEN_TIMEOUT_SECONDS, 'activation'),
    ).toBe(true)
  })

  it('expires after the timeout (three days by default), not a second before', () => {
    const limit = NOW + DEFAULT_TOKEN_TIMEOUT_SECONDS * 1000
    expect(checkToken(user, token, SECRET, limit)).toBe(true)
    expect(checkToken(user, token, SECRET, limit + 1000)).toBe(false)
    expect(checkToken(user, token, SECRET, NOW + 61_000, 60)).toBe(false)
  })

  it.each([
    '',
    'bad',
    'bad-token',
    `${token}0`,
    token.toUpperCase(),
    token.replace(/-./, '-0'),
    `${token.split('-')[0]}-${'0'.repeat(64)}`,
    `zzzzzzzzzzzzzz-${token.split('-')[1]}`,
  ])('refuses the malformed or forged token %j', (bad) => {
    expect(checkToken(user, bad, SECRET, NOW)).toBe(false)
  })
})

describe('encodeUid / decodeUid', () => {
  it("is djoser's encode_uid: the id as unpadded base64url", () => {
    const uid = encodeUid(user.id)
    expect(uid).toBe(Buffer.from(user.id).toString('base64url'))
    expect(uid).not.toContain('=')
    expect(decodeUid(uid)).toBe(user.id)
  })

  it.each(['zzz', '', 'not base64!', encodeUid('42'), encodeUid(`${user.id} `)])(
    'names no user for %j',
    (uid) => {
      expect(decodeUid(uid)).toBeNull()
    },
  )
})
