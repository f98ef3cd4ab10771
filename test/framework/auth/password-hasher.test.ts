import { pbkdf2Sync } from 'node:crypto'
import { type Algorithm, hash } from '@node-rs/argon2'
import { describe, expect, it } from 'vitest'
import { passwordHasher, verifyDummy } from '../../../src/framework/auth/password-hasher.ts'

function djangoPbkdf2(password: string, salt: string, iterations: number): string {
  const digest = pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')
  return `pbkdf2_sha256$${iterations}$${salt}$${digest}`
}

describe('passwordHasher', () => {
  it('hashes to an argon2id PHC string at OWASP parameters and verifies it', async () => {
    const encoded = await passwordHasher.hash('correct horse battery staple')
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
    expect(await passwordHasher.verify(encoded, 'correct horse battery staple')).toBe(true)
    expect(await passwordHasher.verify(encoded, 'correct horse battery stapler')).toBe(false)
    expect(passwordHasher.needsRehash(encoded)).toBe(false)
  })

  it('refuses a Django hash with an absurd iteration count instead of computing it', async () => {
    const real = djangoPbkdf2('pw', 'salt', 1000)
    const hostile = real.replace('$1000$', '$999999999$')
    const start = Date.now()
    expect(await passwordHasher.verify(hostile, 'pw')).toBe(false)
    expect(Date.now() - start).toBeLessThan(1000)
  })

  it('salts every hash', async () => {
    expect(await passwordHasher.hash('same')).not.toBe(await passwordHasher.hash('same'))
  })

  it('verifies a Django pbkdf2_sha256 hash and asks for a rehash', async () => {
    const encoded = djangoPbkdf2('s3cret-Pässword', 'Xq3vB9yJ2kLmN0pQ', 1000)
    expect(await passwordHasher.verify(encoded, 's3cret-Pässword')).toBe(true)
    expect(await passwordHasher.verify(encoded, 's3cret-Password')).toBe(false)
    expect(passwordHasher.needsRehash(encoded)).toBe(true)
  })

  it('verifies a Django argon2 hash and asks for a rehash', async () => {
    const phc = await hash('django-pw', { memoryCost: 1024, timeCost: 1, parallelism: 2 })
    const encoded = `argon2${phc}`
    expect(await passwordHasher.verify(encoded, 'django-pw')).toBe(true)
    expect(await passwordHasher.verify(encoded, 'django-pw!')).toBe(false)
    expect(passwordHasher.needsRehash(encoded)).toBe(true)
    expect(passwordHasher.needsRehash(phc)).toBe(true)
  })

  it('asks for a rehash of argon2 at any other parameters', async () => {
    const others = [
      await hash('pw', { memoryCost: 19456, timeCost: 3, parallelism: 1 }),
      await hash('pw', {
        memoryCost: 19456,
        timeCost: 2,
        parallelism: 1,
        algorithm: 1 as Algorithm,
      }),
      await hash('pw', { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 16 }),
    ]
    for (const encoded of others) {
      expect(await passwordHasher.verify(encoded, 'pw'), encoded).toBe(true)
      expect(passwordHasher.needsRehash(encoded), encoded).toBe(true)
    }
  })

  it('returns false for malformed, unusable and unknown encodings', async () => {
    const good = djangoPbkdf2('pw', 'salt', 1000)
    const malformed = [
      '',
      '!',
      '!u9Y2nX0kqLw0TzQh8pRj3mVb5cFd7gHs1aE4oI6',
      'pbkdf2_sha256$',
      'pbkdf2_sha256$abc$salt$hash',
      'pbkdf2_sha256$0$salt$hash',
      'pbkdf2_sha256$1000$$hash',
      'pbkdf2_sha256$99999999999999999999$salt$hash',
      `${good}$extra`,
      good.slice(0, -4),
      'pbkdf2_sha1$1000$salt$hash',
      'md5$salt$hash',
      'bcrypt_sha256$$2b$12$abc',
      '$argon2id$',
      '$argon2id$v=19$m=19456,t=2,p=1$notbase64!$nope',
      'argon2$argon2id$garbage',
      'argon2',
    ]
    for (const encoded of malformed) {
      expect(await passwordHasher.verify(encoded, 'pw'), encoded).toBe(false)
      expect(passwordHasher.needsRehash(encoded), encoded).toBe(true)
    }
  })

  it('handles long passwords without truncation', async () => {
    const long = `${'a'.repeat(99)}b`
    const differentLastChar = `${'a'.repeat(99)}c`
    const encoded = await passwordHasher.hash(long)
    expect(await passwordHasher.verify(encoded, long)).toBe(true)
    expect(await passwordHasher.verify(encoded, differentLastChar)).toBe(false)
    const django = djangoPbkdf2(long, 'salt123', 1000)
    expect(await passwordHasher.verify(django, long)).toBe(true)
    expect(await passwordHasher.verify(django, differentLastChar)).toBe(false)
  })
})

describe('verifyDummy', () => {
  it('resolves without throwing, for any password', async () => {
    await expect(verifyDummy('whatever')).resolves.toBeUndefined()
    await expect(verifyDummy('')).resolves.toBeUndefined()
  })
})
