/**
 * The PostgreSQL twin of serve-baseline.ts: bare Fastify over a pg pool, the same SQL texts as
 * Portcullis runs, as named queries (prepared once per connection, then only bound and
 * executed), timestamps read as ISO text with Portcullis's type parsers so bodies compare equal.
 */
import pg from 'pg'
import { pgTypes } from '../src/framework/db/pg-types.ts'
import { projectsVisible, type RolesRow, UUID } from './baseline-rbac.ts'
import {
  cookie,
  csrfPasses,
  nameTaken,
  notAuthenticated,
  type SessionRow,
  sessionKeyHash,
  sessionState,
} from './baseline-session.ts'
import {
  type BucketlistRow,
  bareFastify,
  detailAnswer,
  detailId,
  firstCursorPage,
  invalidPage,
  jwtKey,
  jwtUserFailed,
  jwtUserId,
  numbered,
  PAGE_SIZE,
  pageBody,
  pageNumber,
  publicAnswer,
  SQL,
  schemas,
  TOKEN_ONLY_VARY,
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
  const insertText = numbered(SQL.insertBucketlist)
  /** BEGIN, the insert, COMMIT on one connection of the pool, as Portcullis's create runs it. */
  async function create(name: string, ownerId: string, now: string): Promise<string> {
    const client = await pool.connect()
    try {
      await client.query('begin')
      const values = [name, ownerId, now, now]
      const { rows } = await client.query({ name: 'insertBucketlist', text: insertText, values })
      await client.query('commit')
      return rows[0].pk
    } catch (error) {
      await client.query('rollback')
      throw error
    } finally {
      client.release()
    }
  }
  const userForToken = named<TokenUserRow>('userForToken')
  const userById = named<UserRow>('userById')
  const bucketlistById = named<BucketlistRow>('bucketlistById')
  const countOwned = named<{ count: string }>('countOwned')
  const pageOwned = named<BucketlistRow>('pageOwned')
  const pageOwnedFirst = named<BucketlistRow>('pageOwnedFirst')
  const countStatuses = named<{ count: string }>('countStatuses')
  const pageStatuses = named<Row>('pageStatuses')
  const countSurveys = named<{ count: string }>('countSurveys')
  const pageSurveys = named<Row>('pageSurveys')
  const sessionByKeyHash = named<SessionRow>('sessionByKeyHash')
  const touchSession = named('touchSession')
  const endSession = named('endSession')
  const nameInUse = named<{ one: number }>('bucketlistNameTaken')
  const rbacRoles = named<RolesRow>('rbacRoles')
  const countGranted = named<{ count: string }>('countGrantedProjects')
  const pageGranted = named<Row>('pageGrantedProjects')
  const countProjects = named<{ count: string }>('countProjects')
  const pageProjects = named<Row>('pageProjects')
  const key = await jwtKey()

  /** The session cookie's active user, or null (anonymous: expired, ended, inactive). */
  async function sessionUser(sessionKey: string): Promise<UserRow | null> {
    const [session] = await sessionByKeyHash(sessionKeyHash(sessionKey))
    if (!session) return null
    const now = Date.now()
    const state = sessionState(session, now)
    if (state === 'expired') {
      await endSession(session.id)
      return null
    }
    if (state === 'stale') await touchSession(new Date(now).toISOString(), session.id)
    const [user] = await userById(session.user_id)
    return user?.is_active ? user : null
  }

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

  // The benched first page only: a request with a cursor is not the scenario (404 here).
  app.get<{ Querystring: { cursor?: string } }>(
    '/cursor/bucketlists/',
    { schema: schemas.cursorBucketlists },
    async (request, reply) => {
      const hash = tokenHash(request)
      const user = tokenUser(hash === null ? undefined : (await userForToken(hash))[0], reply)
      if (!user) return reply
      if (request.query.cursor !== undefined)
        return reply.code(404).send({ detail: 'Invalid cursor' })
      return reply
        .header('vary', TOKEN_ONLY_VARY)
        .send(firstCursorPage(request, await pageOwnedFirst(user.id, 0)))
    },
  )

  app.post<{ Body: { name: string } }>(
    '/bucketlists/',
    { schema: schemas.newBucketlist },
    async (request, reply) => {
      const sessionKey = cookie(request, 'sessionid')
      const user = sessionKey === null ? null : await sessionUser(sessionKey)
      if (!user) return notAuthenticated(reply)
      if (!csrfPasses(request, reply)) return reply
      const { name } = request.body
      if ((await nameInUse(name)).length) return nameTaken(reply)
      const id = await create(name, user.id, new Date().toISOString())
      return reply.code(201).send((await bucketlistById(id))[0])
    },
  )

  app.get<{ Params: { org_id: string } }>(
    '/rbac/organizations/:org_id/projects/',
    { schema: schemas.projects },
    async (request, reply) => {
      const hash = tokenHash(request)
      const user = tokenUser(hash === null ? undefined : (await userForToken(hash))[0], reply)
      if (!user) return reply
      const org = request.params.org_id
      const id = user.id
      const [roles] = UUID.test(org)
        ? await rbacRoles(org, id, org, id, null, org, id, null, org)
        : []
      const visible = projectsVisible(roles, reply)
      if (visible === null) return reply
      const page = pageNumber(request)
      const [{ count }] = visible === 'all' ? await countProjects(org) : await countGranted(org, id)
      if (invalidPage(reply, page, Number(count))) return reply
      const offset = (page - 1) * PAGE_SIZE
      const rows =
        visible === 'all' ? await pageProjects(org, offset) : await pageGranted(org, id, offset)
      return reply.send(pageBody(request, page, Number(count), rows))
    },
  )

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
    return publicAnswer(reply).send(pageBody(request, page, count, rows))
  })
  return app
})
