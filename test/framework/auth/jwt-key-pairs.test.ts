import { createHmac, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeProtectedHeader, importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose'
import { afterAll, describe, expect, it } from 'vitest'
import { JwtService, TokenInvalid } from '../../../src/framework/index.ts'
import { jwtSettingsFromEnv } from '../../../src/settings-from-env.ts'

// RS256 and ES256 from PEM files, as the server reads them (JWT_SIGNING_KEY_FILE and friends).
const USER = '4f1c2b8e-5d6a-4e3b-9c7d-1a2b3c4d5e6f'
const dir = mkdtempSync(join(tmpdir(), 'portcullis-jwt-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function pemFiles(name: string, pair: { privateKey: string; publicKey: string }) {
  const signing = join(dir, `${name}.key`)
  const verifying = join(dir, `${name}.pub`)
  writeFileSync(signing, pair.privateKey)
  writeFileSync(verifying, pair.publicKey)
  return { signing, verifying, publicKey: pair.publicKey }
}

const pem = { publicKeyEncoding: { type: 'spki', format: 'pem' } } as const
const rsa = pemFiles(
  'rsa',
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    ...pem,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }),
)
const ec = pemFiles(
  'ec',
  generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    ...pem,
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
  }),
)
// A second RSA pair, its private key in PKCS#1 ("RSA PRIVATE KEY") form.
const otherRsa = pemFiles(
  'rsa2',
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    ...pem,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }),
)

function fromEnv(algorithm: string, files: { signing: string; verifying?: string }) {
  const env = {
    JWT_ALGORITHM: algorithm,
    JWT_SIGNING_KEY_FILE: files.signing,
    ...(files.verifying && { JWT_VERIFYING_KEY_FILE: files.verifying }),
  }
  return JwtService.create(jwtSettingsFromEnv(env, 'unused-for-key-pairs'))
}

async function roundTrip(jwt: JwtService) {
  const token = await jwt.sign(jwt.accessClaimsFor(jwt.newRefreshClaims(USER)))
  return { token, claims: await jwt.verify(token, 'access') }
}

describe('key pairs', () => {
  it('RS256 signs with the private key and verifies with the public one', async () => {
    const { token, claims } = await roundTrip(await fromEnv('RS256', rsa))
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT' })
    expect(claims.user_id).toBe(USER)
  })

  it('ES256 works, from a SEC1 ("EC PRIVATE KEY") file, deriving the public key', async () => {
    const { token, claims } = await roundTrip(await fromEnv('ES256', { signing: ec.signing }))
    expect(decodeProtectedHeader(token).alg).toBe('ES256')
    expect(claims.token_type).toBe('access')
  })

  it.each([
    ['RS256', rsa],
    ['ES256', ec],
  ] as const)('%s tokens verify under jose with the public key alone', async (alg, files) => {
    const { token } = await roundTrip(await fromEnv(alg, files))
    const { payload, protectedHeader } = await jwtVerify(
      token,
      await importSPKI(files.publicKey, alg),
    )
    expect(protectedHeader).toEqual({ alg, typ: 'JWT' })
    expect(payload.user_id).toBe(USER)
  })

  it("RS256 signs exactly what jose's SignJWT makes with the same private key", async () => {
    const jwt = await fromEnv('RS256', rsa)
    const claims = jwt.accessClaimsFor(jwt.newRefreshClaims(USER))
    const privateKey = await importPKCS8(readFileSync(rsa.signing, 'utf8'), 'RS256')
    const reference = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(privateKey)
    expect(await jwt.sign(claims)).toBe(reference)
  })

  it.each([
    ['RS256', rsa],
    ['ES256', ec],
  ] as const)(
    '%s: refuses another text of the same signature bytes (jose takes it)',
    async (alg, files) => {
      const { token } = await roundTrip(await fromEnv(alg, files))
      const jwt = await fromEnv(alg, files)
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const last = alphabet.indexOf(token.at(-1) as string)
      const sibling = `${token.slice(0, -1)}${alphabet[last ^ 1]}`
      expect(Buffer.from(sibling.split('.')[2], 'base64url')).toEqual(
        Buffer.from(token.split('.')[2], 'base64url'),
      )
      await expect(jwt.verify(sibling, 'access')).rejects.toThrow(TokenInvalid)
      await expect(jwtVerify(sibling, await importSPKI(files.publicKey, alg))).resolves.toBeTruthy()
    },
  )

  it('refuses an HS256 token whose HMAC key is the RS256 public key (algorithm confusion)', async () => {
    const jwt = await fromEnv('RS256', rsa)
    const claims = jwt.accessClaimsFor(jwt.newRefreshClaims(USER))
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`
    const mac = createHmac('sha256', rsa.publicKey).update(input).digest('base64url')
    await expect(jwt.verify(`${input}.${mac}`, 'access')).rejects.toThrow(TokenInvalid)
  })

  it('refuses a token signed by another key pair, and an ES256 token when set for RS256', async () => {
    const jwt = await fromEnv('RS256', rsa)
    for (const signer of [await fromEnv('RS256', otherRsa), await fromEnv('ES256', ec)]) {
      const { token } = await roundTrip(signer)
      await expect(jwt.verify(token, 'access')).rejects.toThrow(TokenInvalid)
    }
  })

  it('stops at start when the verifying key is not the pair of the signing key', async () => {
    await expect(
      fromEnv('RS256', { signing: rsa.signing, verifying: otherRsa.verifying }),
    ).rejects.toThrow(/not the public half/)
  })

  it('stops at start when the key does not fit the algorithm', async () => {
    await expect(fromEnv('ES256', rsa)).rejects.toThrow()
    expect(() => jwtSettingsFromEnv({ JWT_ALGORITHM: 'RS256' }, 'x')).toThrow(
      /needs JWT_SIGNING_KEY_FILE/,
    )
  })
})
