import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { ColumnType, Generated, Kysely } from 'kysely'
import {
  columnTypes,
  createApp,
  type Database,
  f,
  isPostgres,
  type Migrations,
  migrate,
  type Permission,
  type Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from 'portcullis'
import { accountsMigrations, accountsUsers, createUser, mintToken } from 'portcullis/accounts'
import { testDatabase } from './test-app.ts'

/** `guilds`: a parent found by id, slug or uuid, owned by a user, maybe open to everyone. */
export interface GuildsTable {
  id: Generated<number>
  slug: string
  uid: string
  name: string
  owner_id: string
  open: ColumnType<boolean | number, boolean | number, boolean | number>
  locked: ColumnType<boolean | number, boolean | number, boolean | number>
}

/** `quests`: the children of a guild. */
export interface QuestsTable {
  id: Generated<number>
  guild_id: number
  title: string
}

declare module 'portcullis' {
  interface Tables {
    guilds: GuildsTable
    quests: QuestsTable
  }
}

const guildMigrations: Migrations = {
  '20270301_0001_guilds': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db)
      await db.schema
        .createTable('guilds')
        .addColumn('id', t.serial, t.serialKey)
        .addColumn('slug', 'varchar(50)', (c) => c.notNull().unique())
        // A real uuid column on PostgreSQL: a malformed key must never reach it (a 500).
        .addColumn('uid', isPostgres(db) ? 'uuid' : 'varchar(36)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(50)', (c) => c.notNull())
        .addColumn('owner_id', 'varchar(36)', (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('open', t.boolean, (c) => c.notNull())
        .addColumn('locked', t.boolean, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('quests')
        .addColumn('id', t.serial, t.serialKey)
        .addColumn('guild_id', 'integer', (c) =>
          c.notNull().references('guilds.id').onDelete('cascade'),
        )
        .addColumn('title', 'varchar(50)', (c) => c.notNull())
        .execute()
    },
  },
}

const GuildSchema = resourceSchema('guild', {
  id: f.integer({ readOnly: true }),
  slug: f.string({ maxLength: 50, unique: true }),
  uid: f.uuid({ unique: true }),
  name: f.string({ maxLength: 50 }),
})

const QuestSchema = resourceSchema('quest', {
  id: f.integer({ readOnly: true }),
  guild_id: f.integer({ required: false }),
  title: f.string({ maxLength: 50 }),
})

type Guild = { id: number; slug: string; owner_id: string; locked: boolean | number }

// A locked guild is hidden from no one who may see it, but only its owner may open it: a 403.
const UnlessLocked: Permission = {
  message: 'This guild is locked.',
  hasObjectPermission: (request, _view, obj) =>
    !(obj as Guild).locked || (obj as Guild).owner_id === request.user?.id,
}

/** Guilds a user owns, or open ones; found by `lookupField` (`id` by default). */
export function guildViewset(lookupField?: 'slug' | 'uid') {
  return viewset({
    basename: 'guild',
    table: 'guilds',
    schema: GuildSchema,
    lookupField,
    query: (db: Database) =>
      db.selectFrom('guilds').select(['id', 'slug', 'uid', 'name', 'owner_id', 'locked']),
    scope: (request) => [
      { 'guilds.owner_id': request.user!.id },
      { 'guilds.open': isPostgres(request.server.db) ? true : 1 },
    ],
    permissions: [{ hasPermission: (request) => request.user !== null }, UnlessLocked],
    performCreate: (request, data) => ({
      ...data,
      owner_id: request.user!.id,
      open: false,
      locked: false,
    }),
  })
}

/** Quests, every one visible to whoever reaches it: the parent decides. */
export const questViewset = viewset({
  basename: 'quest',
  table: 'quests',
  schema: QuestSchema,
  query: (db: Database) => db.selectFrom('quests').select(['id', 'guild_id', 'title']),
})

/** A user of the guild app, with a token. */
export interface GuildUser {
  id: string
  token: string
}

/** A server serving the `router` over a fresh database with guilds and quests. */
export interface GuildApp {
  app: FastifyInstance
  db: Database
  user(username: string): Promise<GuildUser>
  guild(owner: GuildUser, slug: string, extra?: { open?: boolean; locked?: boolean }): Promise<Row>
  quest(guildId: number, title: string): Promise<number>
  request(
    options: InjectOptions & { url: string; token?: string; json?: unknown },
  ): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

type Row = { id: number; slug: string; uid: string }

/** `createApp` over a fresh database (SQLite, or PostgreSQL with DATABASE_URL) with `router`. */
export async function guildApp(router: Router, root?: string): Promise<GuildApp> {
  const { db, drop } = await testDatabase()
  await migrate(db, [accountsMigrations, guildMigrations])
  const app = await createApp({
    database: db,
    secretKey: randomBytes(32).toString('base64url'),
    users: accountsUsers(),
    defaults: { authentication: [TokenScheme] },
  })
  await app.register(router.plugin({ root: root !== undefined }), root ? { prefix: root } : {})
  await app.ready()
  const flag = (value: boolean) => (isPostgres(db) ? value : Number(value))
  return {
    app,
    db,
    async user(username) {
      const email = `${username}@example.com`
      const user = await createUser(db, { username, email, password: 'Corr3ct-Horse-Battery' })
      return { id: user.id, token: await mintToken(db, user.id) }
    },
    async guild(owner, slug, extra = {}) {
      const uid = crypto.randomUUID()
      const row = await db
        .insertInto('guilds')
        .values({
          slug,
          uid,
          name: slug,
          owner_id: owner.id,
          open: flag(extra.open ?? false),
          locked: flag(extra.locked ?? false),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return { id: row.id, slug, uid }
    },
    async quest(guildId, title) {
      const row = await db
        .insertInto('quests')
        .values({ guild_id: guildId, title })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    request({ token, json, headers, ...options }) {
      const all: Record<string, string> = { ...(headers as Record<string, string>) }
      if (token) all.authorization = `Token ${token}`
      if (json !== undefined) all['content-type'] = 'application/json'
      return app.inject({
        ...options,
        headers: all,
        payload: json === undefined ? options.payload : JSON.stringify(json),
      })
    },
    async close() {
      await app.close()
      await db.destroy()
      await drop()
    },
  }
}
