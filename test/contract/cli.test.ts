import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manage as runManage } from '../helpers/cli.ts'
import { createTestApp, PASSWORD, type TestApp } from '../helpers/test-app.ts'

// `npm run manage -- …` against the same database a running server uses.
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

const manage = (args: string[], env: Record<string, string> = {}, input?: string) =>
  runManage(t.url, args, env, input)

const login = (username: string, password: string) =>
  t.request({ method: 'POST', url: '/api/auth/token/login/', json: { username, password } })

describe('manage', () => {
  it('createsuperuser --no-input takes the password from the environment', async () => {
    const res = await manage(
      ['createsuperuser', '--no-input', '--username', 'root', '--email', 'root@example.com'],
      {
        PORTCULLIS_SUPERUSER_PASSWORD: PASSWORD,
      },
    )
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const user = await t.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'root')
      .executeTakeFirstOrThrow()
    expect(Boolean(user.is_superuser) && Boolean(user.is_staff)).toBe(true)
    expect((await login('root', PASSWORD)).statusCode).toBe(200)
  })

  it('createsuperuser asks interactively, and refuses mismatched or weak passwords', async () => {
    const ok = await manage(
      ['createsuperuser'],
      {},
      `admin2\nadmin2@example.com\n${PASSWORD}\n${PASSWORD}\n`,
    )
    expect(ok.code).toBe(0)
    expect((await login('admin2', PASSWORD)).statusCode).toBe(200)
    const mismatch = await manage(
      ['createsuperuser'],
      {},
      `admin3\nadmin3@example.com\n${PASSWORD}\nother\n`,
    )
    expect(mismatch.code).toBe(1)
    expect(mismatch.stderr).toContain("Your passwords didn't match.")
    const weak = await manage(
      ['createsuperuser'],
      {},
      'admin4\nadmin4@example.com\n12345678\n12345678\n',
    )
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('This password is too common.')
    const none = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', 'in', ['admin3', 'admin4'])
      .execute()
    expect(none).toEqual([])
  })

  it('createuser with --staff and --inactive, and refuses a duplicate', async () => {
    const env = { PORTCULLIS_SUPERUSER_PASSWORD: PASSWORD }
    expect(
      (
        await manage(
          [
            'createuser',
            '--no-input',
            '--username',
            'staffer',
            '--email',
            's@example.com',
            '--staff',
          ],
          env,
        )
      ).code,
    ).toBe(0)
    expect(
      (
        await manage(
          [
            'createuser',
            '--no-input',
            '--username',
            'dormant',
            '--email',
            'd@example.com',
            '--inactive',
          ],
          env,
        )
      ).code,
    ).toBe(0)
    const rows = await t.db
      .selectFrom('users')
      .selectAll()
      .where('username', 'in', ['staffer', 'dormant'])
      .orderBy('username')
      .execute()
    expect(
      rows.map((r) => [
        r.username,
        Boolean(r.is_staff),
        Boolean(r.is_active),
        Boolean(r.is_superuser),
      ]),
    ).toEqual([
      ['dormant', false, false, false],
      ['staffer', true, true, false],
    ])
    const dup = await manage(
      ['createuser', '--no-input', '--username', 'staffer', '--email', 'S@EXAMPLE.com'],
      env,
    )
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('A user with that username already exists.')
    expect(dup.stderr).toContain('user with this email address already exists.')
  })

  it("deactivate stops a user's token and password at once; activate restores them", async () => {
    const user = await t.user('eve')
    expect(
      (await t.request({ method: 'GET', url: '/bucketlists/', token: user.token })).statusCode,
    ).toBe(200)
    expect((await manage(['deactivate', 'eve'])).code).toBe(0)
    const byToken = await t.request({ method: 'GET', url: '/bucketlists/', token: user.token })
    expect(byToken.statusCode).toBe(401)
    expect(byToken.json()).toEqual({ detail: 'User inactive or deleted.' })
    expect(
      (await t.request({ method: 'GET', url: '/bucketlists/', basic: ['eve', PASSWORD] }))
        .statusCode,
    ).toBe(401)
    expect((await login('eve', PASSWORD)).statusCode).toBe(400)
    expect((await manage(['activate', 'eve'])).code).toBe(0)
    expect(
      (await t.request({ method: 'GET', url: '/bucketlists/', token: user.token })).statusCode,
    ).toBe(200)
    const missing = await manage(['deactivate', 'nobody'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("user 'nobody' does not exist")
  })

  it('changepassword sets a new password that logs in, and the old one stops', async () => {
    await t.user('frank')
    const next = 'N3w-Battery-Staple-Horse'
    const res = await manage(['changepassword', 'frank'], {}, `${next}\n${next}\n`)
    expect(res.code).toBe(0)
    expect((await login('frank', next)).statusCode).toBe(200)
    expect((await login('frank', PASSWORD)).statusCode).toBe(400)
  })

  it('migrate reports nothing to do on a migrated database', async () => {
    const res = await manage(['migrate'])
    expect(res.code).toBe(0)
    expect(res.stdout.trim()).toBe('No migrations to apply.')
  })
})
