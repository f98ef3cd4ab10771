import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { createUser, mintToken } from '../../src/accounts/index.ts'
import {
  type Database,
  isPostgresUrl,
  type Mailer,
  migrate,
  openDatabase,
} from '../../src/framework/index.ts'
import { openRedis } from '../../src/framework/redis/redis-client.ts'
import { allMigrations, createServer } from '../../src/server.ts'
import { serverSettingsFromEnv } from '../../src/settings-from-env.ts'

/** A server over a fresh, migrated database of its own, and helpers to talk to it. */
export interface TestApp {
  app: FastifyInstance
  db: Database
  dialect: 'sqlite' | 'postgres'
  /** The database's URL, for a child process (the CLI) to reach the same data. */
  url: string
  close(): Promise<void>
  /** Send a request; `json` sets the JSON body and content type, `token` the Token header. */
  request(options: TestRequest): Promise<LightMyRequestResponse>
  /** This server's MEDIA_ROOT, a fresh temporary folder. */
  mediaRoot: string
  /** Every file under MEDIA_ROOT, as `folder/name`, sorted. */
  mediaFiles(): string[]
  /** Create an active user with a known password and return it with a fresh token key. */
  user(
    username: string,
    extra?: { is_staff?: boolean; is_superuser?: boolean; is_active?: boolean },
  ): Promise<TestUser>
}

/** A request as the tests write it. */
export interface TestRequest extends Omit<InjectOptions, 'url'> {
  url: string
  json?: unknown
  token?: string
  basic?: [string, string]
}

/** A user made by the harness. */
export interface TestUser {
  id: string
  username: string
  email: string
  password: string
  token: string
}

/** The password every harness user has. */
export const PASSWORD = 'Corr3ct-Horse-Battery'

/**
 * Open the test database: a temporary SQLite file, or with DATABASE_URL set, a PostgreSQL schema of its
 * own (dropped at close) so that test files running in parallel never see each other's rows.
 */
export async function testDatabase(): Promise<{
  db: Database
  /** A URL that reaches the same database (and schema) from another process. */
  url: string
  drop: () => Promise<void>
}> {
  const url = process.env.DATABASE_URL
  if (!url || !isPostgresUrl(url)) {
    const file = join(tmpdir(), `portcullis-test-${randomBytes(6).toString('hex')}.sqlite3`)
    return {
      db: openDatabase(file),
      url: file,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
      },
    }
  }
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = openDatabase(url, { poolSize: 1 })
  await sql`create schema ${sql.id(schema)}`.execute(admin)
  const db = openDatabase(url, { searchPath: schema, poolSize: 12 })
  const sep = url.includes('?') ? '&' : '?'
  return {
    db,
    url: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin)
      await admin.destroy()
    },
  }
}

/**
 * Start a test server (not listening: requests go through `inject`). `env` is the environment
 * its settings are read from, as `npm start` reads them (MAX_UPLOAD_BYTES…; nothing else of the
 * test's own environment); uploads go to a temporary MEDIA_ROOT.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: {
    now?: () => number
    /**
     * Wrap the database the server uses, or open another on `url` (to count its statements);
     * `db` stays unwrapped.
     */
    wrapDb?: (db: Database, url: string) => Database
    /** A Redis of the test's own (default: REDIS_URL's, when set). */
    redisUrl?: string
    /** Where the server's mail goes (default: EMAIL_BACKEND's, from `env`). */
    mailer?: Mailer
  } = {},
): Promise<TestApp> {
  const mediaRoot = mkdtempSync(join(tmpdir(), 'portcullis-media-'))
  const { db, url, drop } = await testDatabase()
  await migrate(db, allMigrations)
  // With REDIS_URL set (CI's second pass), sessions live in Redis as in a multi-process setup.
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL
  // The server's own client settings: every Redis call bounded, no offline queue.
  const redis = redisUrl ? openRedis(redisUrl) : undefined
  await redis?.connect()
  // Each test server has Redis keys of its own: counters of another run must not leak in.
  const redisPrefix = `test-${randomBytes(6).toString('hex')}:`
  const settings = serverSettingsFromEnv({
    SECRET_KEY: randomBytes(48).toString('base64url'),
    MEDIA_ROOT: mediaRoot,
    REDIS_PREFIX: redisPrefix,
    ...env,
  })
  if (options.mailer) settings.mailer = options.mailer
  const app = await createServer({
    settings,
    db: options.wrapDb ? options.wrapDb(db, url) : db,
    redis,
    now: options.now,
  })
  await app.ready()
  return {
    app,
    db,
    dialect: isPostgresUrl(process.env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite',
    url,
    mediaRoot,
    mediaFiles: () =>
      readdirSync(mediaRoot, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(mediaRoot.length + 1))
        .sort(),
    async close() {
      await app.close()
      await drop()
      rmSync(mediaRoot, { recursive: true, force: true })
    },
    request({ json, token, basic, headers, ...options }) {
      const all: Record<string, string> = { ...(headers as Record<string, string>) }
      if (json !== undefined) all['content-type'] = 'application/json'
      if (token) all.authorization = `Token ${token}`
      if (basic) all.authorization = `Basic ${Buffer.from(basic.join(':')).toString('base64')}`
      return app.inject({
        ...options,
        headers: all,
        payload: json === undefined ? options.payload : JSON.stringify(json),
      })
    },
    async user(username, extra = {}) {
      const email = `${username}@example.com`
      const user = await createUser(db, { username, email, password: PASSWORD, ...extra })
      return {
        id: user.id,
        username,
        email,
        password: PASSWORD,
        token: await mintToken(db, user.id),
      }
    },
  }
}
