/**
 * The fastest honest equivalent of Portcullis's two benched endpoints: bare Fastify, the same
 * SQL texts as Portcullis runs (read off its query log), statements prepared once, the same
 * token, owner and pagination checks, serialized by response schemas. Anything less would
 * flatter the ratio; anything more would be benchmarking a different feature set.
 */
import { createHash } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { announceReady, serverEnv } from './child-server.ts'

interface UserRow {
  id: string
  username: string
  is_active: number
  token_expires: string | null
}

interface BucketlistRow {
  id: number
  name: string
  owner_id: string
  owner: string
  date_created: string
  date_modified: string
}

const PAGE_SIZE = 20

const { dbPath, port } = serverEnv()
const sqlite = new BetterSqlite3(dbPath)
// The pragmas openDatabase sets, so both servers read the file the same way.
sqlite.pragma('journal_mode = WAL')
sqlite.pragma('synchronous = NORMAL')
sqlite.pragma('foreign_keys = ON')
sqlite.pragma('busy_timeout = 5000')

const tokenUser = sqlite.prepare<[string], UserRow>(
  'select "users".*, "auth_tokens"."id" as "token_id", "auth_tokens"."name" as "token_name", "auth_tokens"."expires" as "token_expires" from "auth_tokens" inner join "users" on "users"."id" = "auth_tokens"."user_id" where "auth_tokens"."key_hash" = ?',
)
const SELECT_BUCKETLIST =
  'select "bucketlists"."id", "bucketlists"."name", "bucketlists"."owner_id", "users"."username" as "owner", "bucketlists"."date_created", "bucketlists"."date_modified" from "bucketlists" inner join "users" on "users"."id" = "bucketlists"."owner_id"'
const bucketlistById = sqlite.prepare<[number], BucketlistRow>(
  `${SELECT_BUCKETLIST} where "bucketlists"."id" = ?`,
)
const countOwned = sqlite.prepare<[string], { count: number }>(
  'select count(*) as "count" from "bucketlists" inner join "users" on "users"."id" = "bucketlists"."owner_id" where "bucketlists"."owner_id" = ?',
)
const pageOwned = sqlite.prepare<[string, number, number], BucketlistRow>(
  `${SELECT_BUCKETLIST} where "bucketlists"."owner_id" = ? order by "bucketlists"."id" asc limit ? offset ?`,
)

const bucketlistSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    owner: { type: 'string' },
    date_created: { type: 'string' },
    date_modified: { type: 'string' },
  },
} as const
const link = { type: ['string', 'null'] } as const
const pageSchema = {
  type: 'object',
  properties: {
    count: { type: 'integer' },
    next: link,
    previous: link,
    results: { type: 'array', items: bucketlistSchema },
  },
} as const

/** The token's active, unexpired user, or null after sending the 401 DRF would. */
function authenticate(request: FastifyRequest, reply: FastifyReply): UserRow | null {
  const header = request.headers.authorization
  const match = header === undefined ? null : /^Token ([\x21-\x7e]+)$/i.exec(header)
  const user = match ? tokenUser.get(createHash('sha256').update(match[1]).digest('hex')) : null
  const valid =
    user != null &&
    user.is_active === 1 &&
    (user.token_expires === null || new Date(user.token_expires).getTime() > Date.now())
  if (valid) return user
  reply.code(401).header('www-authenticate', 'Token').send({ detail: 'Invalid token.' })
  return null
}

const app = Fastify({ logger: false, requestIdHeader: false })

app.get<{ Params: { id: string } }>(
  '/bucketlists/:id/',
  { schema: { response: { 200: bucketlistSchema } } },
  (request, reply) => {
    const user = authenticate(request, reply)
    if (!user) return reply
    const row = /^\d+$/.test(request.params.id)
      ? bucketlistById.get(Number(request.params.id))
      : undefined
    if (!row) return reply.code(404).send({ detail: 'No Bucketlist matches the given query.' })
    if (row.owner_id !== user.id) {
      return reply.code(403).send({ detail: 'You do not have permission to perform this action.' })
    }
    return reply.send(row)
  },
)

app.get<{ Querystring: { page?: string } }>(
  '/bucketlists/',
  { schema: { response: { 200: pageSchema } } },
  (request, reply) => {
    const user = authenticate(request, reply)
    if (!user) return reply
    const raw = request.query.page
    const page = raw === undefined ? 1 : /^\d+$/.test(raw) ? Number(raw) : 0
    const { count } = countOwned.get(user.id)!
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE))
    if (page < 1 || page > pages) return reply.code(404).send({ detail: 'Invalid page.' })
    const base = `${request.protocol}://${request.host}/bucketlists/`
    return reply.send({
      count,
      next: page < pages ? `${base}?page=${page + 1}` : null,
      previous: page > 1 ? (page === 2 ? base : `${base}?page=${page - 1}`) : null,
      results: pageOwned.all(user.id, PAGE_SIZE, (page - 1) * PAGE_SIZE),
    })
  },
)

app.addHook('onClose', async () => sqlite.close())
await app.listen({ host: '127.0.0.1', port })
announceReady(app)
