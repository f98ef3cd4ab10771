import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify'
import type {
  ColumnDefinitionBuilder,
  Generated,
  Kysely,
  KyselyPlugin,
  SelectQueryBuilder,
} from 'kysely'
import {
  columnTypes,
  createApp,
  type Database,
  f,
  IsAuthenticated,
  type Migrations,
  migrate,
  Router,
  resourceSchema,
  type Tables,
  TokenScheme,
  viewset,
} from 'portcullis'
import { accountsMigrations, accountsUsers, createUser, mintToken } from 'portcullis/accounts'
import { PASSWORD, testDatabase } from './test-app.ts'

/** `labels`: a user's own labels, which only their owner may put on a book. */
export interface LabelsTable {
  id: Generated<number>
  owner_id: string
  name: string
}

/** `books`: a title, one label and an editor (foreign keys), its owner. */
export interface BooksTable {
  id: Generated<number>
  owner_id: string
  title: string
  label_id: number | null
  editor_id: string | null
}

declare module 'portcullis' {
  interface Tables {
    labels: LabelsTable
    books: BooksTable
    book_labels: { book_id: number; label_id: number }
    book_readers: { book_id: number; user_id: string }
  }
}

const bookshelfTables = {
  async up(db: Kysely<unknown>) {
    const t = columnTypes(db)
    const owner = (c: ColumnDefinitionBuilder) =>
      c.notNull().references('users.id').onDelete('cascade')
    await db.schema
      .createTable('labels')
      .addColumn('id', t.serial, t.serialKey)
      .addColumn('owner_id', 'varchar(36)', owner)
      .addColumn('name', 'varchar(20)', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('books')
      .addColumn('id', t.serial, t.serialKey)
      .addColumn('owner_id', 'varchar(36)', owner)
      .addColumn('title', 'varchar(50)', (c) => c.notNull())
      .addColumn('label_id', 'integer', (c) => c.references('labels.id').onDelete('set null'))
      .addColumn('editor_id', 'varchar(36)', (c) => c.references('users.id').onDelete('set null'))
      .execute()
    await db.schema
      .createTable('book_labels')
      .addColumn('book_id', 'integer', (c) =>
        c.notNull().references('books.id').onDelete('cascade'),
      )
      .addColumn('label_id', 'integer', (c) =>
        c.notNull().references('labels.id').onDelete('cascade'),
      )
      .addPrimaryKeyConstraint('book_labels_pk', ['book_id', 'label_id'])
      .execute()
    await db.schema
      .createTable('book_readers')
      .addColumn('book_id', 'integer', (c) =>
        c.notNull().references('books.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'varchar(36)', owner)
      .addPrimaryKeyConstraint('book_readers_pk', ['book_id', 'user_id'])
      .execute()
  },
}

const bookshelfMigrations: Migrations = { '20270101_0001_bookshelf': bookshelfTables }

type Scope<T extends keyof Tables> = <O>(
  request: FastifyRequest,
  query: SelectQueryBuilder<Tables, T, O>,
) => SelectQueryBuilder<Tables, T, O>

// Labels are private to their owner; any active user may edit or read a book.
const ownLabels: Scope<'labels'> = (request, query) =>
  query.where('labels.owner_id', '=', request.user!.id)
const activeUsers: Scope<'users'> = (_request, query) => query.where('users.is_active', '=', true)

/** A user as a book shows its owner. */
export const UserSummary = resourceSchema('user', {
  id: f.uuid({ readOnly: true }),
  username: f.string({ readOnly: true }),
})

/** A book with every kind of relation: keys by integer and by UUID, one or many, and nested. */
export const BookSchema = resourceSchema('book', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 50 }),
  label_id: f.relatedPk({ table: 'labels', scope: ownLabels, required: false, nullable: true }),
  editor_id: f.relatedPk({
    table: 'users',
    pkType: 'uuid',
    scope: activeUsers,
    required: false,
    nullable: true,
  }),
  labels: f.manyRelated({
    table: 'labels',
    through: { table: 'book_labels', from: 'book_id', to: 'label_id' },
    scope: ownLabels,
    required: false,
  }),
  readers: f.manyRelated({
    table: 'users',
    pkType: 'uuid',
    through: { table: 'book_readers', from: 'book_id', to: 'user_id' },
    scope: activeUsers,
    required: false,
  }),
  owner: f.nested(UserSummary, { table: 'users', from: 'owner_id' }),
})

/** Hooks a test sets to act between validation and the write (another request's delete). */
export const meanwhile: { beforeSave?: () => Promise<void> } = {}

/** `/books/`: the requester's books. */
export const books = viewset({
  basename: 'book',
  table: 'books',
  schema: BookSchema,
  query: (db) =>
    db.selectFrom('books').select(['id', 'title', 'label_id', 'editor_id', 'owner_id']),
  scope: (request) => ({ 'books.owner_id': request.user!.id }),
  async performCreate(request, data) {
    await meanwhile.beforeSave?.()
    return { ...data, owner_id: request.user!.id }
  },
  async performUpdate(_request, data) {
    await meanwhile.beforeSave?.()
    return data
  },
})

/**
 * `/shared/`: the requester's books and those they read, the many-to-many named in the scope by
 * its field's name (Django's `Q(owner=user) | Q(readers=user)`).
 */
export const shared = viewset({
  ...books,
  basename: 'shared',
  actions: ['list', 'retrieve'],
  scope: (request) => [
    { 'books.owner_id': request.user!.id },
    { 'readers.user_id': request.user!.id },
  ],
})

/** A user of the bookshelf, with a token. */
export interface ShelfUser {
  id: string
  username: string
  token: string
}

/** The bookshelf server over a fresh database, counting the statements it runs. */
export interface BookshelfApp {
  app: FastifyInstance
  /** The database, unwrapped (not counted). */
  db: Database
  /** A URL reaching the same database, for a second connection. */
  url: string
  user(username: string, extra?: { is_active?: boolean }): Promise<ShelfUser>
  label(owner: ShelfUser, name: string): Promise<number>
  send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS',
    url: string,
    as: ShelfUser,
    json?: unknown,
  ): Promise<LightMyRequestResponse>
  queries(): number
  resetQueries(): void
  close(): Promise<void>
}

/** `createApp` with the accounts app and `/books/` over a fresh, migrated database. */
export async function bookshelfApp(): Promise<BookshelfApp> {
  const { db, url, drop } = await testDatabase()
  await migrate(db, [accountsMigrations, bookshelfMigrations])
  let count = 0
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      count++
      return args.result
    },
  }
  const app = await createApp({
    database: db.withPlugin(counter),
    secretKey: randomBytes(32).toString('base64url'),
    users: accountsUsers(),
    defaults: { authentication: [TokenScheme], permissions: [IsAuthenticated] },
    openapi: { title: 'Bookshelf', version: '1' },
  })
  await app.register(new Router().register('books', books).register('shared', shared).plugin())
  await app.ready()
  return {
    app,
    db,
    url,
    async user(username, extra = {}) {
      const email = `${username}@example.com`
      const user = await createUser(db, { username, email, password: PASSWORD, ...extra })
      return { id: user.id, username, token: await mintToken(db, user.id) }
    },
    async label(owner, name) {
      const row = await db
        .insertInto('labels')
        .values({ owner_id: owner.id, name })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    send(method, path, as, json) {
      return app.inject({
        method,
        url: path,
        headers: {
          authorization: `Token ${as.token}`,
          ...(json !== undefined && { 'content-type': 'application/json' }),
        },
        ...(json !== undefined && { payload: JSON.stringify(json) }),
      })
    },
    queries: () => count,
    resetQueries: () => {
      count = 0
    },
    async close() {
      await app.close()
      await db.destroy()
      await drop()
    },
  }
}
