import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { type Database, isPostgres, migrate, openDatabase, passwordHasher } from 'portcullis'
import { accountsMigrations } from 'portcullis/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portcullis } from '../helpers/cli.ts'
import { PASSWORD, testDatabase } from '../helpers/test-app.ts'

// `npx portcullis …` in a user's project: a config module naming their database and migration
// sets (the accounts app's and one of their own), and no reference app anywhere.
let project: string
let db: Database
let url: string
let drop: () => Promise<void>

const NOTES = `{
  '20270101_0001_notes': {
    up: (db) => db.schema.createTable('notes').addColumn('id', 'integer', (c) => c.primaryKey()).execute(),
  },
}`

const config = (migrations: string) => `import { defineConfig } from 'portcullis'
import { accountsMigrations } from 'portcullis/accounts'

const notes = ${NOTES}

export default defineConfig({ database: ${JSON.stringify(url)}, migrations: ${migrations} })
`

beforeAll(async () => {
  ;({ db, url, drop } = await testDatabase())
  project = mkdtempSync(join(tmpdir(), 'portcullis-project-'))
  writeFileSync(join(project, 'portcullis.config.mjs'), config('[accountsMigrations, notes]'))
})
afterAll(async () => {
  await db?.destroy()
  await drop?.()
  if (project) rmSync(project, { recursive: true, force: true })
})

/** The tables of the test's database (its own schema on PostgreSQL), by name. */
async function tables(of: Database = db) {
  const schema = isPostgres(of)
    ? (await sql<{ s: string }>`select current_schema() as s`.execute(of)).rows[0]?.s
    : undefined
  return (await of.introspection.getTables())
    .filter((t) => t.schema === schema)
    .map((t) => t.name)
    .sort()
}

const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
  portcullis(project, args, env, input)

const lines = (text: string) => text.trim().split('\n')

// Each run starts node and tsx (seconds on a busy machine): a test of several needs time.
describe('portcullis', { timeout: 120_000 }, () => {
  it('refuses a command before migrate, and creates nothing', async () => {
    const res = await run(
      ['createsuperuser', '--no-input', '--username', 'root', '--email', 'r@x.io'],
      {
        PORTCULLIS_SUPERUSER_PASSWORD: PASSWORD,
      },
    )
    expect(res.code).toBe(1)
    expect(lines(res.stderr)).toHaveLength(1)
    expect(res.stderr).toContain('run `portcullis migrate` first')
    expect(await tables()).toEqual([])
  })

  it('stops with one line when no config is found, or the one found is malformed', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'portcullis-empty-'))
    writeFileSync(join(empty, 'no-migrations.mjs'), `export default { database: 'db.sqlite3' }`)
    writeFileSync(join(empty, 'broken.mjs'), 'export default {')
    try {
      // Four runs at once: each pays for starting node and tsx.
      const [missing, named, malformed, broken] = await Promise.all([
        portcullis(empty, ['migrate']),
        portcullis(empty, ['migrate', '--config', 'elsewhere.mjs']),
        portcullis(empty, ['migrate'], { PORTCULLIS_CONFIG: 'no-migrations.mjs' }),
        portcullis(empty, ['migrate', '--config', 'broken.mjs']),
      ])
      expect(missing.code).toBe(1)
      expect(lines(missing.stderr)).toHaveLength(1)
      expect(missing.stderr).toMatch(/^portcullis: no portcullis\.config\.js in .*: create one/)
      expect(named.stderr).toMatch(/^portcullis: no config module at .*elsewhere\.mjs\n$/)
      expect(malformed.code).toBe(1)
      expect(malformed.stderr).toBe(
        'portcullis: no-migrations.mjs: `migrations` should be a list of migration sets, e.g. [accountsMigrations, yourMigrations]\n',
      )
      expect(broken.code).toBe(1)
      expect(lines(broken.stderr)).toHaveLength(1)
      expect(broken.stderr).toMatch(/^portcullis: broken\.mjs could not be loaded: /)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it("migrate applies the config's migration sets, and no reference app's", async () => {
    const res = await run(['migrate'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const names = [...Object.keys(accountsMigrations), '20270101_0001_notes']
    expect(lines(res.stdout)).toEqual(names.map((name) => `Applied ${name}`))

    // Exactly the accounts app's tables (as an in-process migrate makes them) and the project's.
    const reference = openDatabase(':memory:')
    await migrate(reference, [accountsMigrations])
    expect(await tables()).toEqual([...(await tables(reference)), 'notes'].sort())
    await reference.destroy()
    expect(await tables()).not.toContain('bucketlists')

    const [again, shown] = await Promise.all([run(['migrate']), run(['showmigrations'])])
    expect(again.stdout).toBe('No migrations to apply.\n')
    expect(lines(shown.stdout)).toEqual(names.map((name) => `[X] ${name}`))
  })

  it('createsuperuser --no-input creates a superuser, and changepassword changes its password', async () => {
    const created = await run(
      ['createsuperuser', '--no-input', '--username', 'root', '--email', 'root@example.com'],
      { PORTCULLIS_SUPERUSER_PASSWORD: PASSWORD },
    )
    expect(created.stderr).toBe('')
    expect(created.stdout).toMatch(/^Superuser "root" created \(id [0-9a-f-]{36}\)\.\n$/)
    const root = () =>
      db.selectFrom('users').selectAll().where('username', '=', 'root').executeTakeFirstOrThrow()
    const before = await root()
    expect(Boolean(before.is_superuser) && Boolean(before.is_staff)).toBe(true)
    expect(await passwordHasher.verify(before.password, PASSWORD)).toBe(true)

    const [changed, unknown] = await Promise.all([
      run(['changepassword', 'root'], {}, 'An0ther-Horse-Battery\nAn0ther-Horse-Battery\n'),
      run(['changepassword', 'nobody', '--no-input'], { PORTCULLIS_PASSWORD: PASSWORD }),
    ])
    expect(changed.stderr).toBe('')
    expect(changed.stdout).toContain("Password changed successfully for user 'root'.")
    expect(await passwordHasher.verify((await root()).password, 'An0ther-Horse-Battery')).toBe(true)

    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
      code: 1,
      stderr: "user 'nobody' does not exist\n",
    })
  })

  it('takes the config from --config or PORTCULLIS_CONFIG, a .ts one under tsx too', async () => {
    const sub = join(project, 'sub')
    mkdirSync(sub, { recursive: true })
    const flag = await portcullis(sub, [
      '--config',
      '../portcullis.config.mjs',
      'deactivate',
      'root',
    ])
    expect(flag.stdout).toBe("User 'root' deactivated.\n")
    writeFileSync(
      join(sub, 'project.config.ts'),
      config('[accountsMigrations, notes]')
        .replace('const notes =', 'const notes: Migrations =')
        .replace(
          "import { defineConfig } from 'portcullis'",
          "import { defineConfig, type Migrations } from 'portcullis'",
        ),
    )
    const env = await portcullis(sub, ['activate', 'root'], {
      PORTCULLIS_CONFIG: 'project.config.ts',
    })
    expect(env.stdout).toBe("User 'root' activated.\n")
  })

  it("refuses the accounts commands when the config leaves out the accounts app's migrations", async () => {
    writeFileSync(join(project, 'notes-only.mjs'), config('[notes]'))
    const res = await run(['deactivate', 'root', '--config', 'notes-only.mjs'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^the config's migrations do not list accountsMigrations .*\n$/)
  })
})
