// Plain JS, so a child on plain node takes 'portcullis' from dist/ (as users run it) and one
// under tsx from src/; cursor-app.d.mts gives the TypeScript side its types.
import {
  createApp,
  cursorPagination,
  f,
  IsAuthenticated,
  IsOwner,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from 'portcullis'
import { accountsUsers } from 'portcullis/accounts'

/** The bucketlist as seed 000 shows it (src/apps/bucketlists' schema, read-only here). */
const Bucketlist = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255 }),
  owner: f.string({ readOnly: true }),
  date_created: f.datetime({ readOnly: true }),
  date_modified: f.datetime({ readOnly: true }),
})

/**
 * The bench's cursor-paginated list: your own bucketlists by id, 20 a page, under
 * `/cursor/bucketlists/` (no app of the reference server pages by cursor). A cursor page runs no
 * COUNT statement; the bench shows it (bench/queries.ts) and measures what that is worth.
 */
export const cursorBucketlists = viewset({
  basename: 'cursor-bucketlist',
  table: 'bucketlists',
  schema: Bucketlist,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated, IsOwner],
  actions: ['list'],
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
  scope: (request) => ({ 'bucketlists.owner_id': request.user.id }),
  pagination: cursorPagination({ ordering: 'id', pageSize: 20 }),
})

/** A server of the cursor list alone on `database` (a path, URL or Database), no rates. */
export async function createCursorApp(database, secretKey) {
  const app = await createApp({
    database,
    secretKey,
    users: accountsUsers(),
    defaults: { authentication: [TokenScheme], permissions: [IsAuthenticated], throttles: [] },
    logger: false,
  })
  await app.register(new Router().register('bucketlists', cursorBucketlists).plugin(), {
    prefix: '/cursor',
  })
  await app.ready()
  return app
}
