import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashKey } from '../../src/accounts/index.ts'
import { manage } from '../helpers/cli.ts'
import { createTestApp, type TestApp } from '../helpers/test-app.ts'

// `manage import-django-users FILE` (API.md §1): a Django site's users and tokens move over, and
// people log in with their old passwords, clients with their old tokens.
let t: TestApp
const files: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  await t.user('existing')
})
afterAll(async () => {
  for (const file of files) rmSync(file, { force: true })
  await t?.close()
})

/** A password hash exactly as Django's PBKDF2PasswordHasher writes it (few iterations: fast). */
function djangoHash(password: string, iterations = 1000) {
  const salt = randomBytes(16).toString('base64url').slice(0, 22)
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')
  return `pbkdf2_sha256$${iterations}$${salt}$${hash}`
}

const djangoKey = () => randomBytes(20).toString('hex')

function djangoUser(pk: number | string, username: string, extra: Record<string, unknown> = {}) {
  return {
    model: 'auth.user',
    pk,
    fields: {
      password: djangoHash(`${username}-old-Passw0rd`),
      last_login: null,
      is_superuser: false,
      username,
      first_name: '',
      last_name: '',
      email: `${username}@example.com`,
      is_staff: false,
      is_active: true,
      date_joined: '2019-05-04T10:11:12.345Z',
      groups: [],
      user_permissions: [],
      ...extra,
    },
  }
}

const djangoToken = (key: string, user: unknown) => ({
  model: 'authtoken.token',
  pk: key,
  fields: { user, created: '2020-01-02T03:04:05.678Z' },
})

const BOB_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b'
const keys = { alice: djangoKey(), bob: djangoKey(), dupe: djangoKey(), orphan: djangoKey() }

// One of everything: valid users (int and UUID pks, a custom user model), and each skip reason.
const dump = [
  djangoUser(1, 'alice', {
    first_name: 'Alice',
    last_name: 'Liddell',
    is_staff: true,
    last_login: '2024-02-03T04:05:06.789Z',
  }),
  {
    ...djangoUser(BOB_ID.toUpperCase(), 'bob', {
      name: 'Robert "Bob" Tables, Esq., of Little Bobby',
    }),
    model: 'accounts.user',
  },
  djangoUser(3, 'carol', { password: '!Ux9GgTnm7BVoq1A3dHcVX0h4sJWyk3QyTXKpKBVe' }),
  djangoUser(4, 'dave', { is_active: false, date_joined: '2019-05-04 10:11:12' }),
  djangoUser(5, 'alice2', { email: 'ALICE@example.com' }),
  djangoUser(6, 'existing'),
  djangoUser(7, 'bad name!'),
  djangoUser(8, 'nomail', { email: '' }),
  { model: 'auth.group', pk: 1, fields: { name: 'editors', permissions: [] } },
  djangoToken(keys.alice, 1),
  djangoToken(keys.bob, BOB_ID),
  djangoToken(keys.dupe, 5),
  djangoToken(keys.orphan, 99),
  djangoToken('tooshort', ['carol']),
]

function dumpFile(content: string) {
  const file = join(tmpdir(), `django-dump-${randomBytes(6).toString('hex')}.json`)
  writeFileSync(file, content)
  files.push(file)
  return file
}

const importDump = (file: string) => manage(t.url, ['import-django-users', file])

const login = (username: string, password: string) =>
  t.request({ method: 'POST', url: '/api/auth/token/login/', json: { username, password } })

const storedUser = (username: string) =>
  t.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow()

async function counts() {
  const users = await t.db.selectFrom('users').select('id').execute()
  const tokens = await t.db.selectFrom('auth_tokens').select('key_hash').execute()
  return { users: users.length, tokens: tokens.length }
}

describe('manage import-django-users', () => {
  const file = () => dumpFile(JSON.stringify(dump, null, 2))
  let first: Awaited<ReturnType<typeof importDump>>

  beforeAll(async () => {
    first = await importDump(file())
  })

  it('imports the valid users and tokens and names every skipped row with its reason', () => {
    expect(first.code).toBe(0)
    expect(first.stdout.trim().split('\n')).toEqual([
      'Imported 4 users, 2 tokens; skipped 4 users, 3 tokens:',
      'user "alice2": email ALICE@example.com already used',
      'user "existing": username already exists',
      'user "bad name!": username: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
      'user "nomail": no email (an email is required here)',
      'token of user "alice2": user not imported',
      'token of user 99: user not in the file',
      'token of user "carol": key is not 40 hex characters',
      'Ignored 1 records of other models.',
    ])
    // The progress bar is on stderr, so stdout is the report alone.
    expect(first.stderr).toContain('100% 6/6')
    // A report never shows a token key: they are credentials.
    for (const key of Object.values(keys)) expect(first.stdout + first.stderr).not.toContain(key)
  })

  it('keeps what Django knew of each user', async () => {
    const alice = await storedUser('alice')
    expect(alice).toMatchObject({ email: 'alice@example.com', name: 'Alice Liddell' })
    expect(alice.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(Boolean(alice.is_staff)).toBe(true)
    expect(Boolean(alice.is_superuser)).toBe(false)
    expect(new Date(alice.date_joined).toISOString()).toBe('2019-05-04T10:11:12.345Z')
    expect(new Date(alice.last_login!).toISOString()).toBe('2024-02-03T04:05:06.789Z')
    const bob = await storedUser('bob')
    // A UUID pk is kept (in its canonical spelling); the name is cut to 32 characters.
    expect(bob.id).toBe(BOB_ID)
    expect(bob.name).toBe('Robert "Bob" Tables, Esq., of Li')
    const dave = await storedUser('dave')
    expect(Boolean(dave.is_active)).toBe(false)
    // A naive Django datetime (USE_TZ off) is read as UTC.
    expect(new Date(dave.date_joined).toISOString()).toBe('2019-05-04T10:11:12.000Z')
    expect((await storedUser('carol')).password).toMatch(/^!/)
  })

  it('lets users log in with their Django password, which is then re-hashed to argon2id', async () => {
    expect((await storedUser('alice')).password).toMatch(/^pbkdf2_sha256\$1000\$/)
    const res = await login('alice', 'alice-old-Passw0rd')
    expect(res.statusCode).toBe(200)
    expect(res.json().auth_token).toMatch(/^[0-9a-f]{40}$/)
    expect((await storedUser('alice')).password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    // The argon2id hash verifies the same password from now on, by username or email.
    expect((await login('alice@example.com', 'alice-old-Passw0rd')).statusCode).toBe(200)
    expect((await login('bob', 'bob-old-Passw0rd')).statusCode).toBe(200)
    expect((await login('alice', 'wrong-Passw0rd')).statusCode).toBe(400)
  })

  it('never lets in a user with an unusable password, nor an inactive one', async () => {
    expect((await login('carol', 'carol-old-Passw0rd')).statusCode).toBe(400)
    expect((await login('dave', 'dave-old-Passw0rd')).statusCode).toBe(400)
    expect((await storedUser('dave')).password).toMatch(/^pbkdf2_sha256\$/)
  })

  it('stores tokens hashed, and old Django tokens keep working', async () => {
    const stored = await t.db
      .selectFrom('auth_tokens')
      .selectAll()
      .where('key_hash', '=', hashKey(keys.alice))
      .executeTakeFirstOrThrow()
    expect(stored.user_id).toBe((await storedUser('alice')).id)
    expect(new Date(stored.created).toISOString()).toBe('2020-01-02T03:04:05.678Z')
    for (const key of [keys.alice, keys.bob]) {
      const res = await t.request({ method: 'GET', url: '/bucketlists/', token: key })
      expect(res.statusCode).toBe(200)
    }
    const dupe = await t.request({ method: 'GET', url: '/bucketlists/', token: keys.dupe })
    expect(dupe.statusCode).toBe(401)
    expect(dupe.json()).toEqual({ detail: 'Invalid token.' })
  })

  it('imports nothing and duplicates nothing when run again', async () => {
    const before = await counts()
    const again = await importDump(file())
    expect(again.code).toBe(0)
    const lines = again.stdout.trim().split('\n')
    expect(lines[0]).toBe('Imported 0 users, 0 tokens; skipped 8 users, 5 tokens:')
    expect(lines).toContain('user "alice": username already exists')
    expect(lines).toContain('token of user "alice": already imported')
    expect(lines).toContain('token of user "bob": already imported')
    expect(await counts()).toEqual(before)
  })

  it.each([
    ['not JSON', '[{"model": "auth.user",', /: not valid JSON \(/],
    ['not an array', '{"model": "auth.user", "pk": 1, "fields": {}}', /: not a Django dump/],
    ['an array of non-records', '[1, 2]', /record 0 has no "model" and "fields"/],
  ])(
    'refuses a file that is %s: one line, exit 1, nothing written',
    async (_, content, message) => {
      const before = await counts()
      const res = await importDump(dumpFile(content))
      expect(res.code).toBe(1)
      expect(res.stdout).toBe('')
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      expect(res.stderr).toMatch(message)
      expect(await counts()).toEqual(before)
    },
  )

  it('refuses a file that does not exist', async () => {
    const res = await importDump(join(tmpdir(), 'no-such-django-dump.json'))
    expect(res.code).toBe(1)
    expect(res.stderr.trim()).toMatch(/no-such-django-dump\.json: cannot read the file \(ENOENT\)$/)
  })
})
