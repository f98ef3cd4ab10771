import { sql } from 'kysely'
import {
  BasicScheme,
  IsAuthenticated,
  IsOwner,
  listsOnly,
  Router,
  SessionScheme,
  TokenScheme,
  viewset,
} from 'portcullis'
import { BucketlistSchema, UserSchema } from './schema.ts'

// Seed 000 authenticates by Basic first: no credentials → 401 with a Basic challenge.
const authentication = [BasicScheme, TokenScheme, SessionScheme]

/** `/bucketlists/`: the list shows your own; another user's detail is 403 (IsOwner). */
export const bucketlists = viewset({
  basename: 'bucketlist',
  table: 'bucketlists',
  schema: BucketlistSchema,
  authentication,
  permissions: [IsAuthenticated, IsOwner],
  query: (db) =>
    db
      .selectFrom('bucketlists')
      .innerJoin('users', 'users.id', 'bucketlists.owner_id')
      .select([
        'bucketlists.id',
        'bucketlists.name',
        'bucketlists.owner_id',
        'users.username as owner',
        'bucketlists.date_created',
        'bucketlists.date_modified',
      ]),
  // Seed 000 lists your own and leaves another's detail to IsOwner (403, not 404).
  scope: listsOnly((request) => ({ 'bucketlists.owner_id': request.user!.id })),
  performCreate: (request, data) => ({ name: data.name, owner_id: request.user!.id }),
  performUpdate: (_request, data) => (data.name === undefined ? {} : { name: data.name }),
  ordering: {
    fields: {
      id: 'bucketlists.id',
      name: 'bucketlists.name',
      date_created: 'bucketlists.date_created',
      date_modified: 'bucketlists.date_modified',
    },
    default: ['bucketlists.id'],
  },
  search: ['bucketlists.name'],
})

/** `/users/`: read-only, with each user's bucketlist ids. */
export const users = viewset({
  basename: 'user',
  table: 'users',
  schema: UserSchema,
  authentication,
  permissions: [IsAuthenticated],
  actions: ['list', 'retrieve'],
  query: (db) =>
    db
      .selectFrom('users')
      .select(['users.id', 'users.username'])
      // Filled in by prefetch: one query for the whole page, not one per user.
      .select(sql<number[]>`null`.as('bucketlists')),
  async prefetch(rows, db) {
    const owned = await db
      .selectFrom('bucketlists')
      .select(['id', 'owner_id'])
      .where(
        'owner_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute()
    const byOwner = new Map(rows.map((r) => [r.id, [] as number[]]))
    for (const b of owned) byOwner.get(b.owner_id)?.push(b.id)
    for (const row of rows) row.bucketlists = byOwner.get(row.id) ?? []
  },
  ordering: { fields: { username: 'users.username' }, default: ['users.date_joined'] },
})

/** The seed-000 routes. */
export const bucketlistRouter = new Router()
  .register('bucketlists', bucketlists)
  .register('users', users)
