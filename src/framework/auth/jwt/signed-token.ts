import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto'
import type { JwtAlgorithm } from './jwt-settings.ts'
import { TokenInvalid } from './token-errors.ts'

/** What a token's claims are judged against, as jose's `jwtVerify` options name them. */
export interface ClaimChecks {
  /** The current time, in milliseconds. */
  now: number
  /** Clock skew tolerated on `exp` and `nbf`. */
  leewaySeconds: number
  audience?: string
  issuer?: string
}

/** A key for node:crypto: a secret for HS256, a private or public key for RS256 and ES256. */
export interface TokenKey {
  algorithm: JwtAlgorithm
  key: KeyObject
}

const base64url = (text: string) => Buffer.from(text).toString('base64url')

const hmac = (signed: string, key: KeyObject) =>
  createHmac('sha256', key).update(signed).digest('base64url')

// JWS's ES256 signature is r and s side by side (IEEE P1363), not node:crypto's DER default.
const asymmetric = ({ algorithm, key }: TokenKey) =>
  algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key

/**
 * A compact JWS of `claims` under `{alg, typ: "JWT"}`, byte for byte what jose's SignJWT and
 * PyJWT make, synchronously: jose would sign on the libuv thread pool, behind password hashes.
 */
export function signToken(claims: Record<string, unknown>, key: TokenKey): string {
  const header = base64url(JSON.stringify({ alg: key.algorithm, typ: 'JWT' }))
  const signed = `${header}.${base64url(JSON.stringify(claims))}`
  const signature =
    key.algorithm === 'HS256'
      ? hmac(signed, key.key)
      : sign('sha256', Buffer.from(signed), asymmetric(key)).toString('base64url')
  return `${signed}.${signature}`
}

const BASE64URL = /^[A-Za-z0-9_-]+$/

function jsonObject(part: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  } catch {
    throw new TokenInvalid()
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenInvalid()
  return value as Record<string, unknown>
}

function signatureHolds(signed: string, signature: string, key: TokenKey) {
  if (key.algorithm === 'HS256') {
    // Compared as text: the one canonical encoding of the MAC, in constant time.
    const expected = Buffer.from(hmac(signed, key.key))
    const given = Buffer.from(signature)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
  const bytes = Buffer.from(signature, 'base64url')
  return verify('sha256', Buffer.from(signed), asymmetric(key), bytes)
}

const isNumber = (value: unknown): value is number => typeof value === 'number'

function claimsHold(payload: Record<string, unknown>, checks: ClaimChecks): boolean {
  const now = Math.floor(checks.now / 1000)
  const { exp, nbf, iat, aud, iss } = payload
  // A token without `exp` would live forever; simplejwt refuses it too.
  if (!isNumber(exp) || exp <= now - checks.leewaySeconds) return false
  if (nbf !== undefined && (!isNumber(nbf) || nbf > now + checks.leewaySeconds)) return false
  if (iat !== undefined && !isNumber(iat)) return false
  if (checks.issuer && iss !== checks.issuer) return false
  if (checks.audience) {
    const audiences = Array.isArray(aud) ? aud : [aud]
    if (!audiences.includes(checks.audience)) return false
  }
  return true
}

/**
 * The claims of a compact JWS signed with `key`, judged as jose's `jwtVerify` judges them, or
 * TokenInvalid. Synchronous, with node:crypto: jose's checks go through WebCrypto, which in
 * Node runs each on the libuv thread pool, ~50 µs a token and a wait behind any password hash.
 */
export function verifySignedToken(
  token: string,
  key: TokenKey,
  checks: ClaimChecks,
): Record<string, unknown> {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new TokenInvalid()
  const [header, payload, signature] = parts
  const protectedHeader = jsonObject(header)
  // Exactly the configured algorithm: refuses `alg: none` and HS256 signed with a public key.
  // We never issue `crit` (nor `b64` under it): a token that carries one is not ours.
  if (protectedHeader.alg !== key.algorithm || 'crit' in protectedHeader) throw new TokenInvalid()
  let holds = false
  try {
    holds = signatureHolds(`${header}.${payload}`, signature, key)
  } catch {
    // node:crypto answers false for every signature tried; whatever else it might say, no.
  }
  if (!holds) throw new TokenInvalid()
  const claims = jsonObject(payload)
  if (!claimsHold(claims, checks)) throw new TokenInvalid()
  return claims
}
