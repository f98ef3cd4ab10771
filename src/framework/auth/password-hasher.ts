import { pbkdf2, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { type Algorithm, hash, parseOptions, type Version, verify } from '@node-rs/argon2'

/** Hashes new passwords and verifies stored ones, including hashes carried over from Django. */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(encoded: string, password: string): Promise<boolean>
  needsRehash(encoded: string): boolean
}

// These are const enums, which per-file transpilers (vitest, tsx) cannot inline: use their values.
const ARGON2ID = 2 as Algorithm
const VERSION_0X13 = 1 as Version
const OUTPUT_LENGTH = 32
const SALT_LENGTH = 16

// OWASP's minimum recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 }
const CURRENT_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$'

function isCurrentArgon2(encoded: string): boolean {
  if (!encoded.startsWith(CURRENT_PREFIX)) return false
  try {
    const options = parseOptions(encoded)
    return (
      options.algorithm === ARGON2ID &&
      options.version === VERSION_0X13 &&
      options.outputLen === OUTPUT_LENGTH &&
      options.saltLen === SALT_LENGTH
    )
  } catch {
    return false
  }
}

const pbkdf2Async = promisify(pbkdf2)
const DJANGO_PBKDF2_KEY_LENGTH = 32

async function verifyArgon2(phc: string, password: string): Promise<boolean> {
  // Malformed or tampered hashes make the library throw; a bad hash must read as "no match".
  try {
    return await verify(phc, password)
  } catch {
    return false
  }
}

// Django's defaults have never gone past 1,000,000; a larger count in an imported hash would let
// one login hold a worker thread for minutes, so such a hash is refused instead.
const MAX_PBKDF2_ITERATIONS = 5_000_000

async function verifyDjangoPbkdf2(encoded: string, password: string): Promise<boolean> {
  const parts = encoded.split('$')
  if (parts.length !== 4 || !/^[1-9]\d*$/.test(parts[1]) || parts[2] === '') return false
  const [, iterationsText, salt, expected] = parts
  const iterations = Number(iterationsText)
  if (iterations > MAX_PBKDF2_ITERATIONS) return false
  try {
    const derived = await pbkdf2Async(
      password,
      salt,
      iterations,
      DJANGO_PBKDF2_KEY_LENGTH,
      'sha256',
    )
    const actual = Buffer.from(derived.toString('base64'))
    const stored = Buffer.from(expected)
    // Lengths are not secret, and timingSafeEqual requires them equal.
    if (actual.length !== stored.length) return false
    // Constant-time so the comparison leaks nothing about how many bytes matched.
    return timingSafeEqual(actual, stored)
  } catch {
    // Out-of-range iteration counts throw; an unusable hash must never authenticate.
    return false
  }
}

/** argon2id (OWASP parameters) for new hashes; also verifies Django pbkdf2_sha256 and argon2 hashes. */
export const passwordHasher: PasswordHasher = {
  hash(password) {
    return hash(password, ARGON2_OPTIONS)
  },

  async verify(encoded, password) {
    if (typeof encoded !== 'string' || typeof password !== 'string') return false
    if (encoded.startsWith('$argon2')) return verifyArgon2(encoded, password)
    if (encoded.startsWith('pbkdf2_sha256$')) return verifyDjangoPbkdf2(encoded, password)
    // Django stores argon2 as "argon2" + the PHC string; strip its tag and verify the PHC part.
    if (encoded.startsWith('argon2$argon2')) return verifyArgon2(encoded.slice(6), password)
    // Anything else (Django's "!" unusable marker, empty, unknown schemes) can never match.
    return false
  },

  needsRehash(encoded) {
    // Upgrade every legacy or weaker hash to current parameters on the next successful login.
    return !isCurrentArgon2(encoded)
  },
}

let dummyHash: Promise<string> | undefined

/** Burns one argon2id verification, for logins whose user does not exist. */
export async function verifyDummy(password: string): Promise<void> {
  // Unknown users must cost as much as known ones, or response time reveals which usernames exist.
  dummyHash ??= passwordHasher.hash('portcullis-dummy-password')
  try {
    await verify(await dummyHash, password)
  } catch {
    // A failed dummy hash must not stay cached, or every later call would return instantly.
    dummyHash = undefined
  }
}
