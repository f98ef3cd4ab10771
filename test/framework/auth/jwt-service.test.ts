import { createHmac } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  type JwtClaims,
  JwtService,
  type JwtServiceOptions,
  TokenInvalid,
  TokenWrongType,
} from '../../../src/framework/index.ts'

// The primitives alone: no HTTP, no database, a clock the test moves.
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'
const START = Date.UTC(2026, 10, 22, 12, 0, 0)
const USER = '4f1c2b8e-5d6a-4e3b-9c7d-1a2b3c4d5e6f'

function clock(at = START) {
  const c = { at, now: () => c.at, advance: (seconds: number) => (c.at += seconds * 1000) }
  return c
}

async function service(options: Partial<JwtServiceOptions> = {}, c = clock()) {
  return JwtService.create({ signingKey: SECRET, ...options }, c.now)
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('minting', () => {
  it("signs simplejwt's claims, in its order, under {alg, typ}", async () => {
    const jwt = await service()
    const refresh = jwt.newRefreshClaims(USER)
    const token = await jwt.sign(refresh)
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' })
    const claims = decodeJwt(token)
    expect(Object.keys(claims)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id'])
    expect(claims).toMatchObject({
      token_type: 'refresh',
      iat: START / 1000,
      exp: START / 1000 + 86_400,
      user_id: USER,
    })
    expect(claims.jti).toMatch(/^[0-9a-f]{32}$/)
  })

  it('signs exactly what PyJWT would: base64url(header).base64url(payload).HMAC', async () => {
    const jwt = await service()
    const claims = jwt.newRefreshClaims(USER)
    const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`
    const mac = createHmac('sha256', SECRET).update(input).digest('base64url')
    expect(await jwt.sign(claims)).toBe(`${input}.${mac}`)
  })

  it("signs exactly what jose's SignJWT makes, with aud and iss", async () => {
    const jwt = await service({ audience: 'api', issuer: 'https://auth.example' })
    const claims = jwt.newRefreshClaims(USER)
    const reference = await new SignJWT({ ...claims, aud: 'api', iss: 'https://auth.example' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await jwt.sign(claims)).toBe(reference)
  })

  it("makes an access token that keeps the refresh token's iat and user, with a new jti", async () => {
    const c = clock()
    const jwt = await service({}, c)
    const refresh = jwt.newRefreshClaims(USER)
    c.advance(60)
    const access = jwt.accessClaimsFor(refresh)
    expect(Object.keys(access)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id'])
    expect(access).toMatchObject({
      token_type: 'access',
      iat: refresh.iat,
      exp: START / 1000 + 60 + 300,
      user_id: USER,
    })
    expect(access.jti).not.toBe(refresh.jti)
  })

  it('rotates a refresh token: new jti, iat now, a full lifetime again', async () => {
    const c = clock()
    const jwt = await service({}, c)
    const refresh = jwt.newRefreshClaims(USER)
    c.advance(100)
    const next = jwt.rotatedClaims(refresh)
    expect(next).toMatchObject({ token_type: 'refresh', user_id: USER, iat: START / 1000 + 100 })
    expect(next.exp).toBe(START / 1000 + 100 + 86_400)
    expect(next.jti).not.toBe(refresh.jti)
  })

  it('adds aud and iss when configured', async () => {
    const jwt = await service({ audience: 'portcullis-api', issuer: 'https://auth.example' })
    const claims = decodeJwt(await jwt.sign(jwt.newRefreshClaims(USER)))
    expect(Object.keys(claims).slice(-2)).toEqual(['aud', 'iss'])
    expect(claims).toMatchObject({ aud: 'portcullis-api', iss: 'https://auth.example' })
  })
})

describe('verification', () => {
  it('gives back the claims of a good token of the asked type', async () => {
    const jwt = await service()
    const refresh = jwt.newRefreshClaims(USER)
    const access = jwt.accessClaimsFor(refresh)
    expect(await jwt.verify(await jwt.sign(access), 'access')).toEqual(access)
    expect(await jwt.verify(await jwt.sign(refresh), 'refresh')).toEqual(refresh)
  })

  it('refuses the other type with "Token has wrong type"', async () => {
    const jwt = await service()
    const refresh = await jwt.sign(jwt.newRefreshClaims(USER))
    const err = await jwt.verify(refresh, 'access').catch((e) => e)
    expect(err).toBeInstanceOf(TokenWrongType)
    expect(err.message).toBe('Token has wrong type')
    // Untyped verification (the /verify/ endpoint) takes either type.
    await expect(jwt.verifyUntyped(refresh)).resolves.toMatchObject({ token_type: 'refresh' })
  })

  it.each([
    ['garbage', 'garbage'],
    ['an empty string', ''],
    ['three dots of nothing', '..'],
  ])('refuses %s as invalid or expired', async (_label, token) => {
    const jwt = await service()
    const err = await jwt.verify(token, 'access').catch((e) => e)
    expect(err).toBeInstanceOf(TokenInvalid)
    expect(err.message).toBe('Token is invalid or expired')
  })

  it('refuses a token whose payload was changed after signing', async () => {
    const jwt = await service()
    const [header, , signature] = (await jwt.sign(jwt.newRefreshClaims(USER))).split('.')
    const forged = { ...jwt.newRefreshClaims('someone-else'), token_type: 'access' }
    await expect(jwt.verify(`${header}.${b64url(forged)}.${signature}`, 'access')).rejects.toThrow(
      TokenInvalid,
    )
  })

  it('refuses a token signed with another secret', async () => {
    const other = await service({ signingKey: `${SECRET}-other` })
    const jwt = await service()
    const token = await other.sign(other.accessClaimsFor(other.newRefreshClaims(USER)))
    await expect(jwt.verify(token, 'access')).rejects.toThrow(TokenInvalid)
  })

  it('refuses an unsigned token (alg: none)', async () => {
    const jwt = await service()
    const claims = jwt.accessClaimsFor(jwt.newRefreshClaims(USER))
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`
    await expect(jwt.verify(unsigned, 'access')).rejects.toThrow(TokenInvalid)
  })

  it.each([
    ['no exp', 'exp', 'Token is invalid or expired'],
    ['no jti', 'jti', 'Token has no id'],
    ['no token_type', 'token_type', 'Token has no type'],
    ['no user_id', 'user_id', 'Token is invalid or expired'],
  ])('refuses a well-signed token with %s', async (_label, claim, message) => {
    const jwt = await service()
    const claims: Partial<JwtClaims> = jwt.accessClaimsFor(jwt.newRefreshClaims(USER))
    delete claims[claim]
    const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`
    const token = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
    const err = await jwt.verify(token, 'access').catch((e) => e)
    expect(err).toBeInstanceOf(TokenInvalid)
    expect(err.message).toBe(message)
  })
})

// Signed with SECRET, with whatever header and claims a test writes: what only a key holder can do.
function hs256(header: unknown, claims: unknown) {
  const input = `${b64url(header)}.${b64url(claims)}`
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
}

// jose's jwtVerify, as the service called it before it verified synchronously: the reference.
async function joseAccepts(token: string) {
  const key = new TextEncoder().encode(SECRET)
  const options = { algorithms: ['HS256'], currentDate: new Date(START), requiredClaims: ['exp'] }
  return jwtVerify(token, key, options).then(
    () => true,
    () => false,
  )
}

describe('verification, token by token as jose judges it', () => {
  const good = () => ({
    token_type: 'access',
    exp: START / 1000 + 60,
    iat: START / 1000,
    jti: 'a-token-id',
    user_id: USER,
  })
  const header = { alg: 'HS256', typ: 'JWT' }
  const valid = hs256(header, good())
  const [h, p, signature] = valid.split('.')
  // The last character of a 43-character MAC carries 2 unused bits: another text, the same bytes.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const sibling = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.at(-1) as string) ^ 1]}`

  const cases: [string, string, boolean][] = [
    ['a well-signed token', valid, true],
    ['no typ in the header', hs256({ alg: 'HS256' }, good()), true],
    ['an audience list (none configured)', hs256(header, { ...good(), aud: ['x', 'y'] }), true],
    ['a header that says HS512', hs256({ alg: 'HS512', typ: 'JWT' }, good()), false],
    ['a header that is a list', hs256(['HS256'], good()), false],
    ['claims that are a list', hs256(header, [good()]), false],
    ['exp as text', hs256(header, { ...good(), exp: String(START / 1000 + 60) }), false],
    ['exp now', hs256(header, { ...good(), exp: START / 1000 }), false],
    ['nbf as text', hs256(header, { ...good(), nbf: '0' }), false],
    ['nbf a second ahead', hs256(header, { ...good(), nbf: START / 1000 + 1 }), false],
    ['iat as text', hs256(header, { ...good(), iat: String(START / 1000) }), false],
    ['exp null', hs256(header, { ...good(), exp: null }), false],
    ['a fourth part', `${valid}.${p}`, false],
    ['a space in the payload part', `${h}.${p.slice(0, 5)} ${p.slice(5)}.${signature}`, false],
    ['no signature', `${h}.${p}.`, false],
    ['a null crit header', hs256({ ...header, crit: null }, good()), false],
    ['an empty crit header', hs256({ ...header, crit: [] }, good()), false],
  ]

  it.each(cases)('%s', async (_label, token, accepted) => {
    const jwt = await service()
    const verdict = await jwt.verifyUntyped(token).then(
      () => true,
      (err) => {
        expect(err).toBeInstanceOf(TokenInvalid)
        return false
      },
    )
    expect(verdict).toBe(accepted)
    expect(await joseAccepts(token)).toBe(accepted)
  })

  // Stricter than jose: a signature has one text, so a token has one text (jose takes these).
  it.each([
    ['another text of the same signature bytes', `${h}.${p}.${sibling}`],
    ['padding on the signature', `${valid}=`],
  ])('refuses %s', async (_label, token) => {
    const jwt = await service()
    expect(Buffer.from(token.split('.')[2], 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    )
    await expect(jwt.verifyUntyped(token)).rejects.toThrow(TokenInvalid)
    expect(await joseAccepts(token)).toBe(true)
  })

  it('refuses a crit header, which jose takes for b64 alone: no token of ours carries one', async () => {
    const jwt = await service()
    const token = hs256({ ...header, crit: ['b64'], b64: true }, good())
    await expect(jwt.verifyUntyped(token)).rejects.toThrow(TokenInvalid)
    expect(await joseAccepts(token)).toBe(true)
  })
})

describe('audience and issuer, token by token as jose judges them', () => {
  const configured = { audience: 'api', issuer: 'https://auth.example' }
  const good = () => ({
    token_type: 'access',
    exp: START / 1000 + 60,
    iat: START / 1000,
    jti: 'a-token-id',
    user_id: USER,
    aud: 'api',
    iss: 'https://auth.example',
  })
  const header = { alg: 'HS256', typ: 'JWT' }
  const without = (claim: 'aud' | 'iss') => {
    const claims: Record<string, unknown> = good()
    delete claims[claim]
    return claims
  }

  async function joseAcceptsConfigured(token: string) {
    const key = new TextEncoder().encode(SECRET)
    const options = { algorithms: ['HS256'], currentDate: new Date(START), ...configured }
    return jwtVerify(token, key, options).then(
      () => true,
      () => false,
    )
  }

  const cases: [string, Record<string, unknown>, boolean][] = [
    ['its own audience and issuer', good(), true],
    ['an audience list that names it', { ...good(), aud: ['other', 'api'] }, true],
    ['an audience list that does not', { ...good(), aud: ['other'] }, false],
    ['an empty audience list', { ...good(), aud: [] }, false],
    ['a null audience', { ...good(), aud: null }, false],
    ['no audience', without('aud'), false],
    ['no issuer', without('iss'), false],
    ['another issuer', { ...good(), iss: 'https://evil.example' }, false],
    ['an issuer list', { ...good(), iss: ['https://auth.example'] }, false],
    ['a numeric issuer', { ...good(), iss: 1 }, false],
  ]

  it.each(cases)('%s', async (_label, claims, accepted) => {
    const jwt = await service(configured)
    const token = hs256(header, claims)
    expect(
      await jwt.verifyUntyped(token).then(
        () => true,
        () => false,
      ),
    ).toBe(accepted)
    expect(await joseAcceptsConfigured(token)).toBe(accepted)
  })

  // Stricter than jose: RFC 7519 §4.1.3 makes `aud` a string or a list of strings.
  it('refuses an audience list that names it beside a non-string (jose takes it)', async () => {
    const jwt = await service(configured)
    const token = hs256(header, { ...good(), aud: ['api', 5] })
    await expect(jwt.verifyUntyped(token)).rejects.toThrow(TokenInvalid)
    expect(await joseAcceptsConfigured(token)).toBe(true)
  })
})

describe('expiry, on the injected clock', () => {
  it('an access token lives 300 seconds, a refresh token a day', async () => {
    const c = clock()
    const jwt = await service({}, c)
    const refresh = jwt.newRefreshClaims(USER)
    const [r, a] = [await jwt.sign(refresh), await jwt.sign(jwt.accessClaimsFor(refresh))]
    c.advance(299)
    await expect(jwt.verify(a, 'access')).resolves.toBeTruthy()
    c.advance(1)
    await expect(jwt.verify(a, 'access')).rejects.toThrow('Token is invalid or expired')
    c.advance(86_400 - 300 - 1)
    await expect(jwt.verify(r, 'refresh')).resolves.toBeTruthy()
    c.advance(1)
    await expect(jwt.verify(r, 'refresh')).rejects.toThrow(TokenInvalid)
  })

  it('honours the configured lifetimes and leeway', async () => {
    const c = clock()
    const jwt = await service({ accessLifetimeSeconds: 60, leewaySeconds: 5 }, c)
    const access = await jwt.sign(jwt.accessClaimsFor(jwt.newRefreshClaims(USER)))
    c.advance(64)
    await expect(jwt.verify(access, 'access')).resolves.toBeTruthy()
    c.advance(1)
    await expect(jwt.verify(access, 'access')).rejects.toThrow(TokenInvalid)
  })

  it('refuses a token not yet valid (nbf), within the leeway only', async () => {
    const c = clock()
    const jwt = await service({ leewaySeconds: 5 }, c)
    const claims = { ...jwt.accessClaimsFor(jwt.newRefreshClaims(USER)), nbf: START / 1000 + 30 }
    const token = await jwt.sign(claims)
    await expect(jwt.verify(token, 'access')).rejects.toThrow(TokenInvalid)
    c.advance(25)
    await expect(jwt.verify(token, 'access')).resolves.toBeTruthy()
  })
})

describe('audience and issuer', () => {
  const configured = { audience: 'api', issuer: 'https://auth.example' }

  it('accepts its own, refuses another audience or issuer, or none', async () => {
    const jwt = await service(configured)
    const claims = jwt.accessClaimsFor(jwt.newRefreshClaims(USER))
    await expect(jwt.verify(await jwt.sign(claims), 'access')).resolves.toBeTruthy()
    for (const other of [
      { ...configured, audience: 'other' },
      { ...configured, issuer: 'https://evil.example' },
      {},
    ]) {
      const signer = await service(other)
      await expect(jwt.verify(await signer.sign(claims), 'access')).rejects.toThrow(TokenInvalid)
    }
  })
})

describe('no wait on the thread pool', () => {
  // WebCrypto (jose) checks each signature on the libuv thread pool, behind any password hash;
  // node:crypto through fast-jwt finishes in the same turn, before the next macrotask.
  it('verifies a token before a setImmediate callback runs', async () => {
    const jwt = await service()
    const token = await jwt.sign(jwt.newRefreshClaims(USER))
    const immediate = new Promise((resolve) => setImmediate(() => resolve('immediate')))
    const verified = jwt.verify(token, 'refresh').then(() => 'verified')
    expect(await Promise.race([verified, immediate])).toBe('verified')
  })
})

describe('settings', () => {
  it('refuses an HS256 secret shorter than 32 bytes at start', async () => {
    await expect(JwtService.create({ signingKey: 'short' })).rejects.toThrow(/at least 32/)
  })
})
