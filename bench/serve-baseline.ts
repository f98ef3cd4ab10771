/**
 * The fastest honest equivalent of Portcullis's benched endpoints on SQLite: bare Fastify, the
 * same SQL texts as Portcullis runs (read off its query log: `npx tsx bench/queries.ts`),
 * statements prepared once, the same token, JWT, owner and pagination checks, serialized by
 * response schemas. Anything less would flatter the ratio; anything more would be benchmarking a
 * different feature set. Handlers are synchronous where better-sqlite3 lets them be.
 */
import BetterSqlite3 from 'better-sqlite3'
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
  const sqlite = new BetterSqlite3(database)
  // The pragmas openDatabase sets, so both servers read the file the same way.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const prepare = <P extends unknown[], R>(sql: string) => sqlite.prepare<P, R>(sql)

  const userForToken = prepare<[string], TokenUserRow>(SQL.userForToken)
  const userById = prepare<[string], UserRow>(SQL.userById)
  const bucketlistById = prepare<[number], BucketlistRow>(SQL.bucketlistById)
  const countOwned = prepare<[string], { count: number }>(SQL.countOwned)
  const pageOwned = prepare<[string, number], BucketlistRow>(SQL.pageOwned)
  const pageOwnedFirst = prepare<[string, number], BucketlistRow>(SQL.pageOwnedFirst)
  const countStatuses = prepare<[string], { count: number }>(SQL.countStatuses)
  const pageStatuses = prepare<[string, number], Row>(SQL.pageStatuses)
  const countSurveys = prepare<[string], { count: number }>(SQL.countSurveys)
  const pageSurveys = prepare<[string, number], Row>(SQL.pageSurveys)
  const sessionByKeyHash = prepare<[string], SessionRow>(SQL.sessionByKeyHash)
  const touchSession = prepare<[string, string], void>(SQL.touchSession)
  const endSession = prepare<[string], void>(SQL.endSession)
  const nameInUse = prepare<[string], { one: number }>(SQL.bucketlistNameTaken)
  const insertBucketlist = prepare<[string, string, string, string], { pk: number }>(
    SQL.insertBucketlist,
  )
  // better-sqlite3's transaction: BEGIN, the insert, COMMIT, as Portcullis's create runs it.
  const create = sqlite.transaction((name: string, ownerId: string, now: string) => {
    return insertBucketlist.get(name, ownerId, now, now)!.pk
  })
  const rbacRoles = prepare<unknown[], RolesRow>(SQL.rbacRoles)
  const countGranted = prepare<[string, string], { count: number }>(SQL.countGrantedProjects)
  const pageGranted = prepare<[string, string, number], Row>(SQL.pageGrantedProjects)
  const countProjects = prepare<[string], { count: number }>(SQL.countProjects)
  const pageProjects = prepare<[string, number], Row>(SQL.pageProjects)
  const key = await jwtKey()

  /** The session cookie's active user, or null (anonymous: expired, ended, inactive). */
  function sessionUser(sessionKey: string): UserRow | null {
    const session = sessionByKeyHash.get(sessionKeyHash(sessionKey))
    if (!session) return null
    const now = Date.now()
    const state = sessionState(session, now)
    if (state === 'expired') {
      endSession.run(session.id)
      return null
    }
    if (state === 'stale') touchSession.run(new Date(now).toISOString(), session.id)
    const user = userById.get(session.user_id)
    return user?.is_active ? user : null
  }

  const app = bareFastify()
  app.addHook('onClose', async () => sqlite.close())

  app.get<{ Params: { id: string } }>(
    '/bucketlists/:id/',
    { schema: schemas.bucketlist },
    (request, reply) => {
      const hash = tokenHash(request)
      const user = tokenUser(hash === null ? undefined : userForToken.get(hash), reply)
      if (!user) return reply
      const id = detailId(request.params.id)
      return detailAnswer(reply, user, id === null ? undefined : bucketlistById.get(id))
    },
  )

  app.get('/bucketlists/', { schema: schemas.bucketlists }, (request, reply) => {
    const hash = tokenHash(request)
    const user = tokenUser(hash === null ? undefined : userForToken.get(hash), reply)
    if (!user) return reply
    const page = pageNumber(request)
    const { count } = countOwned.get(user.id)!
    if (invalidPage(reply, page, count)) return reply
    const rows = pageOwned.all(user.id, (page - 1) * PAGE_SIZE)
    return reply.send(pageBody(request, page, count, rows))
  })

  // The benched first page only: a request with a cursor is not the scenario (404 here).
  app.get<{ Querystring: { cursor?: string } }>(
    '/cursor/bucketlists/',
    { schema: schemas.cursorBucketlists },
    (request, reply) => {
      const hash = tokenHash(request)
      const user = tokenUser(hash === null ? undefined : userForToken.get(hash), reply)
      if (!user) return reply
      if (request.query.cursor !== undefined)
        return reply.code(404).send({ detail: 'Invalid cursor' })
      return reply
        .header('vary', TOKEN_ONLY_VARY)
        .send(firstCursorPage(request, pageOwnedFirst.all(user.id, 0)))
    },
  )

  app.post<{ Body: { name: string } }>(
    '/bucketlists/',
    { schema: schemas.newBucketlist },
    (request, reply) => {
      const sessionKey = cookie(request, 'sessionid')
      const user = sessionKey === null ? null : sessionUser(sessionKey)
      if (!user) return notAuthenticated(reply)
      if (!csrfPasses(request, reply)) return reply
      const { name } = request.body
      if (nameInUse.get(name)) return nameTaken(reply)
      const id = create(name, user.id, new Date().toISOString())
      return reply.code(201).send(bucketlistById.get(id))
    },
  )

  app.get<{ Params: { org_id: string } }>(
    '/rbac/organizations/:org_id/projects/',
    { schema: schemas.projects },
    (request, reply) => {
      const hash = tokenHash(request)
      const user = tokenUser(hash === null ? undefined : userForToken.get(hash), reply)
      if (!user) return reply
      const org = request.params.org_id
      const id = user.id
      const roles = UUID.test(org)
        ? rbacRoles.get(org, id, org, id, null, org, id, null, org)
        : undefined
      const visible = projectsVisible(roles, reply)
      if (visible === null) return reply
      const page = pageNumber(request)
      const { count } = visible === 'all' ? countProjects.get(org)! : countGranted.get(org, id)!
      if (invalidPage(reply, page, count)) return reply
      const offset = (page - 1) * PAGE_SIZE
      const rows =
        visible === 'all' ? pageProjects.all(org, offset) : pageGranted.all(org, id, offset)
      return reply.send(pageBody(request, page, count, rows))
    },
  )

  app.get<{ Querystring: { username?: string } }>(
    '/api/status/',
    { schema: schemas.statuses },
    (request, reply) => {
      const userId = jwtUserId(request, reply, key)
      if (userId === null) return reply
      const user = userById.get(userId)
      if (!user?.is_active) return jwtUserFailed(reply)
      const page = pageNumber(request)
      // The seeded scenario always filters; an unfiltered list is not benched.
      const username = request.query.username ?? ''
      const { count } = countStatuses.get(username)!
      if (invalidPage(reply, page, count)) return reply
      const rows = pageStatuses.all(username, (page - 1) * PAGE_SIZE)
      return reply.send(pageBody(request, page, count, rows))
    },
  )

  app.get('/survey/api/surveys/', { schema: schemas.surveys }, (request, reply) => {
    // Anonymous: published surveys only (a user would also see their drafts; not benched).
    const page = pageNumber(request)
    const { count } = countSurveys.get('published')!
    if (invalidPage(reply, page, count)) return reply
    const rows = pageSurveys.all('published', (page - 1) * PAGE_SIZE)
    return publicAnswer(reply).send(pageBody(request, page, count, rows))
  })
  return app
})
