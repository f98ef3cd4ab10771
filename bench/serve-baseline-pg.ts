/**
 * The PostgreSQL twin of serve-baseline.ts: bare Fastify over a pg pool, the same SQL texts as
 * Portcullis runs, as named queries (prepared once per connection, then only bound and
 * executed), timestamps read as ISO text with Portcullis's type parsers so bodies compare equal.
 */
import pg from 'pg'
import { pgTypes } from '../src/framework/db/pg-types.ts'
import {
  type BucketlistRow,
  bareFastify,
  detailAnswer,
  detailId,
  invalidPage,
  jwtKey,
  jwtUserFailed,
  jwtUserId,
  numbered,
  PAGE_SIZE,
  pageBody,
  pageNumber,
  SQL,
  schemas,
  type TokenUserRow,
  tokenHash,
  tokenUser,
  type UserRow,
} from './baseline-shared.ts'
import { serve, serverEnv } from './child-server.mjs'

const { database } = serverEnv()
type Row = Record<string, unknown>

await serve(async () => {
  // As many connections as Portcullis's pool (openDatabase's default).
  const pool = new pg.Pool({ connectionString: database, max: 10, types: pgTypes(pg.types) })
  const named = <R>(name: keyof typeof SQL) => {
    const text = numbered(SQL[name])
    return async (...values: unknown[]) =>
      (await pool.query<R & pg.QueryResultRow>({ name, text, values })).rows
  }
  const userForToken = named<TokenUserRow>('userForToken')
  const userById = named<UserRow>('userById')
  const bucketlistById = named<BucketlistRow>('bucketlistById')
  const countOwned = named<{ count: string }>('countOwned')
  const pageOwned = named<BucketlistRow>('pageOwned')
  const countStatuses = named<{ count: string }>('countStatuses')
  const pageStatuses = named<Row>('pageStatuses')
  const countSurveys = named<{ count: string }>('countSurveys')
  const pageSurveys = named<Row>('pageSurveys')
  const key = await jwtKey()

  const app = bareFastify()
  app.addHook('onClose', () => pool.end())

  app.get<{ Params: { id: string } }>(
    '/bucketlists/:id/',
    { schema: schemas.bucketlist },
    async (request, reply) => {
      const hash = tokenHash(request)
      const user = tokenUser(hash === null ? undefined : (await userForToken(hash))[0], reply)
      if (!user) return reply
      const id = detailId(request.params.id)
      return detailAnswer(reply, user, id === null ? undefined : (await bucketlistById(id))[0])
    },
  )

  app.get('/bucketlists/', { schema: schemas.bucketlists }, async (request, reply) => {
    const hash = tokenHash(request)
    const user = tokenUser(hash === null ? undefined : (await userForToken(hash))[0], reply)
    if (!user) return reply
    const page = pageNumber(request)
    const count = Number((await countOwned(user.id))[0].count)
    if (invalidPage(reply, page, count)) return reply
    const rows = await pageOwned(user.id, (page - 1) * PAGE_SIZE)
    return reply.send(pageBody(request, page, count, rows))
  })

  app.get<{ Querystring: { username?: string } }>(
    '/api/status/',
    { schema: schemas.statuses },
    async (request, reply) => {
      const userId = jwtUserId(request, reply, key)
      if (userId === null) return reply
      const [user] = await userById(userId)
      if (!user?.is_active) return jwtUserFailed(reply)
      const page = pageNumber(request)
      const username = request.query.username ?? ''
      const count = Number((await countStatuses(username))[0].count)
      if (invalidPage(reply, page, count)) return reply
      const rows = await pageStatuses(username, (page - 1) * PAGE_SIZE)
      return reply.send(pageBody(request, page, count, rows))
    },
  )

  app.get('/survey/api/surveys/', { schema: schemas.surveys }, async (request, reply) => {
    const page = pageNumber(request)
    const count = Number((await countSurveys('published'))[0].count)
    if (invalidPage(reply, page, count)) return reply
    const rows = await pageSurveys('published', (page - 1) * PAGE_SIZE)
    return reply.send(pageBody(request, page, count, rows))
  })
  return app
})
