import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto'
import { importPKCS8, importSPKI } from 'jose'
import type { JwtSettings } from './jwt-settings.ts'
import { signToken, type TokenKey, verifySignedToken } from './signed-token.ts'

/** The keys of a service: the same HMAC key twice, or a private and a public key. */
export interface JwtKeys {
  signing: TokenKey
  verifying: TokenKey
}

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash, or tokens can be brute-forced.
const MIN_HMAC_BYTES = 32

function hmacKey(secret: string): TokenKey {
  const bytes = Buffer.from(secret)
  if (bytes.length < MIN_HMAC_BYTES) {
    throw new Error(
      `the HS256 key (SECRET_KEY) has ${bytes.length} bytes, needs at least ${MIN_HMAC_BYTES}: ` +
        'set a longer SECRET_KEY (e.g. `openssl rand -base64 48`) or use JWT_ALGORITHM=RS256',
    )
  }
  return { algorithm: 'HS256', key: createSecretKey(bytes) }
}

function pem(key: KeyObject, type: 'pkcs8' | 'spki'): string {
  return key.export({ type, format: 'pem' }) as string
}

async function keyPair(settings: JwtSettings): Promise<JwtKeys> {
  // Node reads PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY") files too; jose wants PKCS#8.
  const privateKey = createPrivateKey(settings.signingKey)
  const publicKey = createPublicKey(settings.verifyingKey ?? privateKey)
  const algorithm = settings.algorithm
  // Imported only to be judged: jose refuses keys that do not fit the algorithm (RSA under 2048
  // bits, a curve other than P-256). Tokens are then signed and checked with the keys in hand.
  await importPKCS8(pem(privateKey, 'pkcs8'), algorithm)
  await importSPKI(pem(publicKey, 'spki'), algorithm)
  return { signing: { algorithm, key: privateKey }, verifying: { algorithm, key: publicKey } }
}

/** Keys whose pair does not match would refuse every token: find out at start, not per request. */
function checkPair(keys: JwtKeys) {
  const probe = signToken({ exp: Math.floor(Date.now() / 1000) + 60 }, keys.signing)
  try {
    verifySignedToken(probe, keys.verifying, { now: Date.now(), leewaySeconds: 0 })
  } catch {
    throw new Error('JWT_VERIFYING_KEY_FILE is not the public half of JWT_SIGNING_KEY_FILE')
  }
}

/** Import the keys once, at start, refusing keys too weak or unfit for the algorithm. */
export async function importJwtKeys(settings: JwtSettings): Promise<JwtKeys> {
  if (settings.algorithm === 'HS256') {
    const key = hmacKey(settings.signingKey)
    return { signing: key, verifying: key }
  }
  const keys = await keyPair(settings)
  checkPair(keys)
  return keys
}
