import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDjangoUsers } from '../../src/accounts/cli/import-django-users.ts'
import { accountsMigrations } from '../../src/accounts/index.ts'
import { migrate } from '../../src/framework/index.ts'
import { jpegWithExif, multipart, noisyPng, png, pngBomb } from '../helpers/images.ts'
import {
  createTestApp,
  PASSWORD,
  type TestApp,
  type TestUser,
  testDatabase,
} from '../helpers/test-app.ts'

// API.md §6 profiles and avatar, against the DRF anchor's answers (OBSERVED.md, README item 16).
let t: TestApp
let alice: TestUser
let bob: TestUser
const NOT_AUTHENTICATED = { detail: 'Authentication credentials were not provided.' }
const INVALID_IMAGE = {
  avatar: [
    'Upload a valid image. The file you uploaded was either not an image or a corrupted image.',
  ],
}
const AVATAR_URL = /^http:\/\/localhost\/media\/(avatars\/[0-9a-f]{32}\.(png|jpg|webp))$/

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(() => t?.close())

async function profileOf(username: string) {
  const res = await t.request({
    method: 'GET',
    url: '/api/profiles/?page_size=100',
    token: alice.token,
  })
  return (res.json().results as { id: number; user: string; avatar: string | null }[]).find(
    (p) => p.user === username,
  )!
}

async function upload(
  user: TestUser,
  data: Buffer | string,
  filename = 'me.png',
  { method = 'PUT' as 'PUT' | 'PATCH', field = 'avatar', type = 'image/png' } = {},
) {
  const body = await multipart([{ field, data, filename, type }])
  return t.request({ method, url: '/api/avatar/', token: user.token, ...body })
}

/** Upload, expect 200, and return the stored name (`avatars/…`). */
async function uploadOk(user: TestUser, data: Buffer, filename = 'me.png') {
  const res = await upload(user, data, filename)
  expect(res.statusCode, res.body).toBe(200)
  const match = AVATAR_URL.exec(res.json().avatar)
  expect(match, res.body).not.toBeNull()
  return match![1]
}

describe('profiles', () => {
  it('gives every user a profile, made with the user at registration', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/auth/users/',
      json: { username: 'newbie', email: 'newbie@example.com', password: PASSWORD },
    })
    expect(res.statusCode).toBe(201)
    expect(await profileOf('newbie')).toMatchObject({ user: 'newbie', avatar: null })
    const users = await t.db.selectFrom('users').select('id').execute()
    const owners = await t.db.selectFrom('profiles').select('user_id').execute()
    expect(owners.map((p) => p.user_id).sort()).toEqual(users.map((u) => u.id).sort())
  })

  it('lists profiles in id order, paginated, with the anchor key order', async () => {
    const res = await t.request({ method: 'GET', url: '/api/profiles/', token: alice.token })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results'])
    expect(body.results[0]).toEqual({
      id: body.results[0].id,
      user: 'alice',
      avatar: null,
      bio: '',
      city: '',
    })
    expect(Object.keys(body.results[0])).toEqual(['id', 'user', 'avatar', 'bio', 'city'])
    expect(body.results.map((p: { user: string }) => p.user).slice(0, 2)).toEqual(['alice', 'bob'])
  })

  it('shows one profile, 404s a missing one', async () => {
    const res = await t.request({ method: 'GET', url: '/api/profiles/1/', token: alice.token })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('{"id":1,"user":"alice","avatar":null,"bio":"","city":""}')
    const missing = await t.request({
      method: 'GET',
      url: '/api/profiles/999999/',
      token: alice.token,
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ detail: 'Not found.' })
  })

  it('is read-only: POST and PATCH are 405', async () => {
    const { id } = await profileOf('alice')
    const post = await t.request({
      method: 'POST',
      url: '/api/profiles/',
      token: alice.token,
      json: { bio: 'x' },
    })
    expect(post.statusCode).toBe(405)
    expect(post.json()).toEqual({ detail: 'Method "POST" not allowed.' })
    const patch = await t.request({
      method: 'PATCH',
      url: `/api/profiles/${id}/`,
      token: alice.token,
      json: { bio: 'x' },
    })
    expect(patch.statusCode).toBe(405)
    expect(patch.json()).toEqual({ detail: 'Method "PATCH" not allowed.' })
  })

  it('searches cities', async () => {
    const none = await t.request({
      method: 'GET',
      url: '/api/profiles/?search=nowhere',
      token: alice.token,
    })
    expect(none.statusCode).toBe(200)
    expect(none.json()).toEqual({ count: 0, next: null, previous: null, results: [] })
    await t.db
      .updateTable('profiles')
      .set({ city: 'Lisbon' })
      .where('user_id', '=', bob.id)
      .execute()
    const lisbon = await t.request({
      method: 'GET',
      url: '/api/profiles/?search=lisb',
      token: alice.token,
    })
    expect(lisbon.json().results.map((p: { user: string }) => p.user)).toEqual(['bob'])
  })

  it('needs credentials', async () => {
    const res = await t.request({ method: 'GET', url: '/api/profiles/' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual(NOT_AUTHENTICATED)
  })
})

describe('the router root', () => {
  it('links each list, for an authenticated user', async () => {
    const res = await t.request({ method: 'GET', url: '/api/', token: alice.token })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe(
      '{"profiles":"http://localhost/api/profiles/","status":"http://localhost/api/status/"}',
    )
    const anonymous = await t.request({ method: 'GET', url: '/api/' })
    expect(anonymous.statusCode).toBe(401)
  })
})

describe('avatar upload', () => {
  it('stores a PNG under a name of ours, shows it on the profile, serves it to anyone', async () => {
    const res = await upload(alice, await png(), 'me.png')
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json())).toEqual(['avatar'])
    const [url, name] = AVATAR_URL.exec(res.json().avatar)!
    expect(t.mediaFiles()).toEqual([name])
    const { id } = await profileOf('alice')
    const profile = await t.request({
      method: 'GET',
      url: `/api/profiles/${id}/`,
      token: alice.token,
    })
    expect(profile.json()).toEqual({ id, user: 'alice', avatar: url, bio: '', city: '' })

    const served = await t.request({ method: 'GET', url: new URL(url).pathname })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(served.headers['x-content-type-options']).toBe('nosniff')
    expect(served.rawPayload).toEqual(readFileSync(join(t.mediaRoot, name)))
    expect((await sharp(served.rawPayload).metadata()).format).toBe('png')
    // Media takes no credentials: a bad token is not even looked at (as Django serves it).
    const badToken = await t.request({
      method: 'HEAD',
      url: new URL(url).pathname,
      token: 'f'.repeat(40),
    })
    expect(badToken.statusCode).toBe(200)
    expect(badToken.headers['content-length']).toBe(String(served.rawPayload.length))
  })

  it('takes PATCH as PUT, and deletes the avatar it replaces', async () => {
    const first = await uploadOk(bob, await png())
    const res = await upload(bob, await jpegWithExif(), 'photo.jpg', {
      method: 'PATCH',
      type: 'image/jpeg',
    })
    expect(res.statusCode).toBe(200)
    const second = AVATAR_URL.exec(res.json().avatar)![1]
    expect(second).toMatch(/\.jpg$/)
    expect(t.mediaFiles()).not.toContain(first)
    expect(t.mediaFiles()).toContain(second)
    const served = await t.request({ method: 'GET', url: `/media/${second}` })
    expect(served.headers['content-type']).toBe('image/jpeg')
  })

  it('strips EXIF and GPS, after turning the image as its EXIF orientation said', async () => {
    const original = await jpegWithExif(200, 100)
    expect(original.includes('SECRET-COPYRIGHT-MARKER')).toBe(true)
    const name = await uploadOk(alice, original, 'photo.jpg')
    const stored = readFileSync(join(t.mediaRoot, name))
    const meta = await sharp(stored).metadata()
    expect(meta.exif).toBeUndefined()
    expect(meta.orientation).toBeUndefined()
    expect(stored.includes('SECRET-COPYRIGHT-MARKER')).toBe(false)
    expect([meta.width, meta.height]).toEqual([100, 200])
  })

  it('resizes to fit 512×512, keeping the aspect ratio, never enlarging', async () => {
    const big = await uploadOk(alice, await png(2000, 1000))
    const meta = await sharp(join(t.mediaRoot, big)).metadata()
    expect([meta.width, meta.height]).toEqual([512, 256])
    const small = await uploadOk(alice, await png(100, 50))
    const kept = await sharp(join(t.mediaRoot, small)).metadata()
    expect([kept.width, kept.height]).toEqual([100, 50])
  })

  it('leaves one file after two uploads at once', async () => {
    const carol = await t.user('carol')
    const before = t.mediaFiles()
    const [a, b] = await Promise.all([upload(carol, await png()), upload(carol, await png(80, 80))])
    expect([a.statusCode, b.statusCode]).toEqual([200, 200])
    const added = t.mediaFiles().filter((f) => !before.includes(f))
    expect(added).toHaveLength(1)
    expect((await profileOf('carol')).avatar).toBe(`http://localhost/media/${added[0]}`)
  })

  it('needs credentials, and reads nothing without them', async () => {
    const before = t.mediaFiles()
    const res = await t.request({
      method: 'PUT',
      url: '/api/avatar/',
      ...(await multipart([{ field: 'avatar', data: await png(), filename: 'me.png' }])),
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual(NOT_AUTHENTICATED)
    expect(t.mediaFiles()).toEqual(before)
  })

  it('leaves multipart to this route, and reads it as a form elsewhere (DRF parses it everywhere)', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/status/',
      token: alice.token,
      ...(await multipart([{ field: 'status_content', data: 'hi' }])),
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ status_content: 'hi' })
  })
})

describe('bad uploads: 400, a clear message, no file left behind, the avatar unchanged', () => {
  let dave: TestUser
  let kept: string
  beforeAll(async () => {
    dave = await t.user('dave')
    kept = await uploadOk(dave, await png())
  })

  async function refused(res: Awaited<ReturnType<typeof upload>>, body: unknown) {
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json()).toEqual(body)
    expect(t.mediaFiles()).toContain(kept)
    expect((await profileOf('dave')).avatar).toBe(`http://localhost/media/${kept}`)
  }

  async function cases(): Promise<
    [string, () => Promise<Awaited<ReturnType<typeof upload>>>, unknown][]
  > {
    const noisy = await noisyPng()
    const jpeg = await jpegWithExif()
    const tooLarge = Buffer.concat([await png(), Buffer.alloc(3636222 - (await png()).length)])
    return [
      [
        'a text file',
        () => upload(dave, 'just some notes\n', 'notes.txt', { type: 'text/plain' }),
        INVALID_IMAGE,
      ],
      [
        'a text file named .png',
        () => upload(dave, 'not an image at all\n', 'fake.png'),
        INVALID_IMAGE,
      ],
      ['a truncated PNG', () => upload(dave, noisy.subarray(0, noisy.length / 2)), INVALID_IMAGE],
      ['a truncated JPEG', () => upload(dave, jpeg.subarray(0, 300), 'me.jpg'), INVALID_IMAGE],
      [
        'an SVG',
        () => upload(dave, '<svg xmlns="http://www.w3.org/2000/svg"/>', 'me.svg'),
        INVALID_IMAGE,
      ],
      [
        'an oversized file',
        () => upload(dave, tooLarge, 'big.png'),
        { avatar: ['Ensure this file is at most 2097152 bytes (it has 3636222).'] },
      ],
      [
        'a bomb declaring 30000×30000 pixels',
        () => upload(dave, pngBomb(30000, 30000)),
        { avatar: ['Ensure this image has at most 25000000 pixels (it has 900000000).'] },
      ],
      [
        'a complete 10000×10000 bomb (12 KB)',
        () => upload(dave, pngBomb(10000, 10000, 10000)),
        { avatar: ['Ensure this image has at most 25000000 pixels (it has 100000000).'] },
      ],
      [
        'an empty file',
        () => upload(dave, Buffer.alloc(0)),
        { avatar: ['The submitted file is empty.'] },
      ],
      [
        'a file in another field',
        () => upload(dave, jpeg, 'me.jpg', { field: 'picture' }),
        { avatar: ['No file was submitted.'] },
      ],
    ]
  }

  it('refuses each with its message', async () => {
    for (const [name, send, body] of await cases()) {
      const before = t.mediaFiles()
      const res = await send()
      await refused(res, body)
      expect(t.mediaFiles(), name).toEqual(before)
    }
  })

  it('refuses a missing file, and data that is not a file', async () => {
    const fieldOnly = await multipart([{ field: 'avatar', data: 'me.png' }])
    const cases = [
      [
        { ...(await multipart([{ field: 'bio', data: 'hello' }])) },
        { avatar: ['No file was submitted.'] },
      ],
      [
        fieldOnly,
        { avatar: ['The submitted data was not a file. Check the encoding type on the form.'] },
      ],
      [{ json: {} }, { avatar: ['No file was submitted.'] }],
      [
        { json: { avatar: 'http://example.com/me.png' } },
        { avatar: ['The submitted data was not a file. Check the encoding type on the form.'] },
      ],
    ] as const
    for (const [body, errors] of cases) {
      const res = await t.request({
        method: 'PUT',
        url: '/api/avatar/',
        token: dave.token,
        ...body,
      })
      await refused(res, errors)
    }
  })

  it('stops reading a far too large upload and closes the connection', async () => {
    const huge = Buffer.alloc(9 * 1024 * 1024, 1)
    const res = await upload(dave, huge, 'huge.png')
    await refused(res, {
      avatar: ['Ensure this file is at most 2097152 bytes (it has more than 8388608).'],
    })
    expect(res.headers.connection).toBe('close')
  })

  it('answers a malformed multipart body with 400', async () => {
    const res = await t.request({
      method: 'PUT',
      url: '/api/avatar/',
      token: dave.token,
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\n\r\nab',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toMatch(/^Multipart form parse error - /)
  })
})

describe('media serving', () => {
  let secret: string
  beforeAll(async () => {
    // A file beside MEDIA_ROOT, and a link inside it that leads out: neither may be served.
    secret = join(dirname(t.mediaRoot), `${t.mediaRoot.split('/').pop()}-secret.txt`)
    writeFileSync(secret, 'top secret')
    mkdirSync(join(t.mediaRoot, 'avatars'), { recursive: true })
    symlinkSync(secret, join(t.mediaRoot, 'avatars', 'link.png'))
  })
  afterAll(async () => {
    const { rmSync } = await import('node:fs')
    rmSync(secret, { force: true })
  })

  it('refuses to leave MEDIA_ROOT, however the path is spelt', async () => {
    const leaf = secret.split('/').pop()
    const paths = [
      `/media/../${leaf}`,
      `/media/..%2f${leaf}`,
      `/media/%2e%2e%2f${leaf}`,
      `/media/avatars/..%2f..%2f${leaf}`,
      `/media/avatars%2f..%2f..%2f${leaf}`,
      `/media/..%5c${leaf}`,
      `/media/%2fetc%2fpasswd`,
      '/media//etc/passwd',
      '/media/avatars/link.png',
      '/media/avatars/%00.png',
      '/media/avatars/',
      '/media/',
      '/media/avatars/nothing-here.png',
    ]
    for (const url of paths) {
      const res = await t.request({ method: 'GET', url })
      expect(res.statusCode, url).toBe(404)
      expect(res.body, url).not.toContain('top secret')
    }
  })
})

describe('profiles for users made before profiles, and for imported users', () => {
  it('migrates: users that exist get a profile, in the order they joined', async () => {
    const { db, drop } = await testDatabase()
    try {
      const { '20261122_0006_accounts_profiles': _profiles, ...before } = accountsMigrations
      await migrate(db, [before])
      for (const [i, username] of ['zed', 'amy'].entries()) {
        await db
          .insertInto('users')
          .values({
            id: `00000000-0000-4000-8000-00000000000${i}`,
            username,
            email: `${username}@example.com`,
            name: '',
            password: '!',
            is_active: true,
            is_staff: false,
            is_superuser: false,
            date_joined: `2020-01-0${i + 1}T00:00:00.000Z`,
            last_login: null,
          })
          .execute()
      }
      await migrate(db, [accountsMigrations])
      const rows = await db
        .selectFrom('profiles')
        .innerJoin('users', 'users.id', 'profiles.user_id')
        .select(['users.username', 'profiles.bio', 'profiles.city', 'profiles.avatar'])
        .orderBy('profiles.id')
        .execute()
      expect(rows).toEqual([
        { username: 'zed', bio: '', city: '', avatar: null },
        { username: 'amy', bio: '', city: '', avatar: null },
      ])
    } finally {
      await db.destroy()
      await drop()
    }
  })

  it('gives imported Django users a profile', async () => {
    const record = (pk: number, username: string) => ({
      model: 'auth.user',
      pk,
      fields: {
        username,
        email: `${username}@example.com`,
        password: '!unusable',
        is_active: true,
        date_joined: '2019-05-04T10:11:12.345Z',
        last_login: null,
      },
    })
    const report = await importDjangoUsers(
      t.db,
      { users: [record(1, 'django1'), record(2, 'django2')], tokens: [], ignored: 0 },
      () => ({ advance() {}, finish() {} }),
    )
    expect(report).toMatch(/^Imported 2 users/)
    for (const username of ['django1', 'django2']) {
      expect(await profileOf(username)).toMatchObject({ user: username, avatar: null, bio: '' })
    }
  })
})
