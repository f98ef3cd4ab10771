import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { importPKCS8, importSPKI } from 'jose'
import type { JwtAlgorithm, JwtSettings } from './jwt-settings.ts'

/**
 * The keys of a service, as fast-jwt takes them: the same HMAC secret twice, or a private key
 * (PKCS#8 PEM) and its public key (SPKI PEM).
 */
export interface JwtKeys {
  algorithm: JwtAlgorithm
  signing: Buffer | string
  verifying: Buffer | string
}

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash, or tokens can be brute-forced.
const MIN_HMAC_BYTES = 32

function hmacKeys(secret: string): JwtKeys {
  const bytes = Buffer.from(secret)
  if (bytes.length < MIN_HMAC_BYTES) {
    throw new Error(
      `the HS256 key (SECRET_KEY) has ${bytes.length} bytes, needs at least ${MIN_HMAC_BYTES}: ` +
        'set a longer SECRET_KEY (e.g. `openssl rand -base64 48`) or use JWT_ALGORITHM=RS256',
    )
  }
  return { algorithm: 'HS256', signing: bytes, verifying: bytes }
}

function pem(key: KeyObject, type: 'pkcs8' | 'spki'): string {
  return key.export({ type, format: 'pem' }) as string
}

/** Import the keys once, at start, refusing keys too weak or unfit for the algorithm. */
export async function importJwtKeys(settings: JwtSettings): Promise<JwtKeys> {
  const { algorithm } = settings
  if (algorithm === 'HS256') return hmacKeys(settings.signingKey)
  // Node reads PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY") files too; both are
  // rewritten as PKCS#8, the one form jose and fast-jwt both read.
  const privateKey = createPrivateKey(settings.signingKey)
  const signing = pem(privateKey, 'pkcs8')
  const verifying = pem(createPublicKey(settings.verifyingKey ?? privateKey), 'spki')
  // Imported only to be judged: jose refuses keys that do not fit the algorithm (RSA under 2048
  // bits, a curve other than P-256). fast-jwt signs and checks tokens with the PEMs.
  await importPKCS8(signing, algorithm)
  await importSPKI(verifying, algorithm)
  return { algorithm, signing, verifying }
}
