/**
 * What both bare-Fastify baselines (SQLite and PostgreSQL) share: the response schemas, the
 * checks Portcullis makes on what the queries return, and the answers. Only the queries differ.
 */
import {
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'

export interface UserRow {
  id: string
  username: string
  is_active: number | boolean
}

export type TokenUserRow = UserRow & { token_expires: string | null }

export interface BucketlistRow {
  id: number
  owner_id: string
  [column: string]: unknown
}

export const PAGE_SIZE = 20

const USER =
  '"users"."id", "users"."username", "users"."email", "users"."name", "users"."is_active", "users"."is_staff", "users"."is_superuser"'
const BUCKETLIST =
  'select "bucketlists"."id", "bucketlists"."name", "bucketlists"."owner_id", "users"."username" as "owner", "bucketlists"."date_created", "bucketlists"."date_modified" from "bucketlists" inner join "users" on "users"."id" = "bucketlists"."owner_id"'
const STATUSES =
  'from "statuses" inner join "profiles" on "profiles"."id" = "statuses"."profile_id" inner join "users" on "users"."id" = "profiles"."user_id"'
const SURVEYS = 'from "surveys" inner join "users" on "users"."id" = "surveys"."creator_id"'
const PROJECTS =
  'select "p"."id", "p"."organization_id" as "organization", "p"."name", "p"."created_at" from "rbac_projects" as "p"'
// A project-only requester sees the projects granted to them (bound: the user's id).
const GRANTED =
  'exists (select 1 from "rbac_project_members" as role_cg where "role_cg"."project_id" = "p"."id" and "role_cg"."user_id" = ?)'

/**
 * The statements Portcullis runs for the benched requests, as its query log shows them
 * (`npx tsx bench/queries.ts`), with SQLite's `?` placeholders (`numbered` makes them `$n`). The
 * page size is in the text, not bound: SQLite prepares a bound LIMIT again on every run.
 */
export const SQL = {
  userForToken: `select ${USER}, "auth_tokens"."id" as "token_id", "auth_tokens"."name" as "token_name", "auth_tokens"."expires" as "token_expires", "auth_tokens"."last_used" as "token_last_used" from "auth_tokens" inner join "users" on "users"."id" = "auth_tokens"."user_id" where "auth_tokens"."key_hash" = ?`,
  userById: `select ${USER} from "users" where "users"."id" = ?`,
  bucketlistById: `${BUCKETLIST} where "bucketlists"."id" = cast(? as bigint)`,
  countOwned:
    'select count(*) as "count" from "bucketlists" inner join "users" on "users"."id" = "bucketlists"."owner_id" where "bucketlists"."owner_id" = ?',
  pageOwned: `${BUCKETLIST} where "bucketlists"."owner_id" = ? order by "bucketlists"."id" asc limit ${PAGE_SIZE} offset ?`,
  countStatuses: `select count(*) as "count" ${STATUSES} where "users"."username" = ?`,
  pageStatuses: `select "statuses"."id", "users"."username" as "user_profile", "statuses"."status_content", "statuses"."created_at", "statuses"."updated_at", "profiles"."user_id" as "owner_id" ${STATUSES} where "users"."username" = ? order by "statuses"."created_at" desc, "statuses"."id" desc limit ${PAGE_SIZE} offset ?`,
  // The cursor list's first page: a row past the page says there is a next one; no COUNT.
  pageOwnedFirst: `${BUCKETLIST} where "bucketlists"."owner_id" = ? order by "bucketlists"."id" asc limit ${PAGE_SIZE + 1} offset ?`,
  countSurveys: `select count(*) as "count" ${SURVEYS} where "surveys"."status" = ?`,
  pageSurveys: `select "surveys"."id", "surveys"."title", "surveys"."description", "surveys"."status", "users"."username" as "creator", "surveys"."created_at", "surveys"."creator_id" ${SURVEYS} where "surveys"."status" = ? order by "surveys"."id" asc limit ${PAGE_SIZE} offset ?`,
  sessionByKeyHash:
    'select "id", "user_id", "created", "last_seen", "expires", "user_agent", "ip" from "sessions" where "key_hash" = ?',
  touchSession: 'update "sessions" set "last_seen" = ? where "id" = ?',
  endSession: 'delete from "sessions" where "id" = ?',
  bucketlistNameTaken: 'select 1 as "one" from "bucketlists" as "t" where "t"."name" = ?',
  insertBucketlist:
    'insert into "bucketlists" ("name", "owner_id", "date_created", "date_modified") values (?, ?, ?, ?) returning "id" as "pk"',
  // Bound as (org, user, org, user, project, org, user, project, org); a list has no project.
  rbacRoles: `select (select "rbac_org_members"."role" from "rbac_org_members" where "rbac_org_members"."organization_id" = ? and "rbac_org_members"."user_id" = ?) as parent_role, exists (select 1 from "rbac_project_members" join "rbac_projects" on "rbac_projects"."id" = "rbac_project_members"."project_id" where "rbac_projects"."organization_id" = ? and "rbac_project_members"."user_id" = ?) as child_grant_in_parent, (select "rbac_project_members"."role" from "rbac_project_members" join "rbac_projects" on "rbac_projects"."id" = "rbac_project_members"."project_id" where "rbac_projects"."id" = ? and "rbac_projects"."organization_id" = ? and "rbac_project_members"."user_id" = ?) as child_role, exists (select 1 from "rbac_projects" where "rbac_projects"."id" = ? and "rbac_projects"."organization_id" = ?) as child_exists`,
  countGrantedProjects: `select count(*) as "count" from "rbac_projects" as "p" where "p"."organization_id" = ? and ${GRANTED}`,
  pageGrantedProjects: `${PROJECTS} where "p"."organization_id" = ? and ${GRANTED} order by "p"."created_at", "p"."id" limit ${PAGE_SIZE} offset ?`,
  countProjects:
    'select count(*) as "count" from "rbac_projects" as "p" where "p"."organization_id" = ?',
  pageProjects: `${PROJECTS} where "p"."organization_id" = ? order by "p"."created_at", "p"."id" limit ${PAGE_SIZE} offset ?`,
} as const

/** A statement with PostgreSQL's `$1, $2…` placeholders for SQLite's `?`. */
export function numbered(sql: string): string {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

const string = { type: 'string' } as const
const integer = { type: 'integer' } as const
const object = (properties: Record<string, unknown>) => ({ type: 'object', properties }) as const
const link = { type: ['string', 'null'] } as const
const page = (item: unknown) =>
  object({ count: integer, next: link, previous: link, results: { type: 'array', items: item } })

const bucketlist = object({
  id: integer,
  name: string,
  owner: string,
  date_created: string,
  date_modified: string,
})
const status = object({
  id: integer,
  user_profile: string,
  status_content: string,
  created_at: string,
  updated_at: string,
})
const survey = object({
  id: integer,
  title: string,
  description: string,
  status: string,
  creator: string,
  created_at: string,
})

const project = object({ id: string, organization: string, name: string, created_at: string })

/** Response schemas (serialized by fast-json-stringify, as Portcullis's are). */
export const schemas = {
  bucketlist: { response: { 200: bucketlist } },
  newBucketlist: {
    body: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 255 } },
      required: ['name'],
    },
    response: { 201: bucketlist },
  },
  projects: { response: { 200: page(project) } },
  cursorBucketlists: {
    response: {
      200: object({ next: link, previous: link, results: { type: 'array', items: bucketlist } }),
    },
  },
  bucketlists: { response: { 200: page(bucketlist) } },
  statuses: { response: { 200: page(status) } },
  surveys: { response: { 200: page(survey) } },
}

// The headers Portcullis's answers carry, as DRF's do: Django's security middleware, Vary on what
// the answer depends on (content negotiation, the schemes' headers), and no-store on a user's data.
// Written the cheapest way, once a request: the bytes sent are work done too.
const ANSWER_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  vary: 'Accept, Authorization, Cookie',
  'cache-control': 'no-store',
}

/** Vary of a route whose one scheme is the token (the cursor list's app). */
export const TOKEN_ONLY_VARY = 'Accept, Authorization'

/** The headers of an answer to no one in particular (an anonymous public list): cacheable. */
export function publicAnswer(reply: FastifyReply): FastifyReply {
  return reply.removeHeader('cache-control')
}

/**
 * The server both baselines are routes on: no logging, no request ids, as Portcullis's bench;
 * every answer with Portcullis's headers.
 */
export function bareFastify() {
  const app = Fastify({ logger: false, requestIdHeader: false })
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(ANSWER_HEADERS)
    done()
  })
  return app
}

const TOKEN = /^Token ([\x21-\x7e]+)$/i
const BEARER = /^Bearer ([\x21-\x7e]+)$/i

/** The hash a token row is found by, or null for a header that is no token. */
export function tokenHash(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  const match = header === undefined ? null : TOKEN.exec(header)
  return match ? createHash('sha256').update(match[1]).digest('hex') : null
}

/** The token's user when active and unexpired; else null, after sending DRF's 401. */
export function tokenUser(row: TokenUserRow | undefined, reply: FastifyReply): UserRow | null {
  const valid =
    row !== undefined &&
    Boolean(row.is_active) &&
    (row.token_expires === null || new Date(row.token_expires).getTime() > Date.now())
  if (valid) return row
  reply.code(401).header('www-authenticate', 'Token').send({ detail: 'Invalid token.' })
  return null
}

/** The HS256 key of the JWTs, made once (as Portcullis's JwtService does). */
export async function jwtKey(): Promise<KeyObject> {
  const secret = process.env.SECRET_KEY
  if (!secret) throw new Error('SECRET_KEY (the HS256 key of the JWTs) is not set')
  return createSecretKey(Buffer.from(secret))
}

const JWT_HEADER = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

// The checks a bare route would make, synchronously with node:crypto as Portcullis does: the
// header's alg, the MAC in constant time, exp, the type and the user.
function accessUserId(token: string, key: KeyObject): string | null {
  if (!JWT_HEADER.test(token)) return null
  const [header, payload, signature] = token.split('.')
  const mac = Buffer.from(
    createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url'),
  )
  const given = Buffer.from(signature)
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) return null
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'HS256') return null
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const fresh = typeof claims.exp === 'number' && claims.exp > Math.floor(Date.now() / 1000)
    const ok = fresh && claims.token_type === 'access' && typeof claims.user_id === 'string'
    return ok ? claims.user_id : null
  } catch {
    return null
  }
}

/** The user id of a valid access token in `Authorization: Bearer`, or null after the 401. */
export function jwtUserId(
  request: FastifyRequest,
  reply: FastifyReply,
  key: KeyObject,
): string | null {
  const header = request.headers.authorization
  const match = header === undefined ? null : BEARER.exec(header)
  const userId = match ? accessUserId(match[1], key) : null
  if (userId === null) {
    reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="api"')
      .send({ detail: 'Given token not valid for any token type', code: 'token_not_valid' })
  }
  return userId
}

/** The 401 of a token whose user is gone or inactive. */
export function jwtUserFailed(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="api"')
    .send({ detail: 'User not found', code: 'user_not_found' })
}

/** `?page=`'s number; 0 for one that is not a positive whole number. */
export function pageNumber(request: FastifyRequest): number {
  const raw = (request.query as Record<string, string | undefined>).page
  return raw === undefined ? 1 : /^\d+$/.test(raw) ? Number(raw) : 0
}

/** Whether a page is past the last (or malformed): then DRF's 404 "Invalid page." is sent. */
export function invalidPage(reply: FastifyReply, page: number, count: number): boolean {
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE))
  if (page >= 1 && page <= pages) return false
  reply.code(404).send({ detail: 'Invalid page.' })
  return true
}

function linkTo(request: FastifyRequest, page: number | null) {
  const url = new URL(request.url, `${request.protocol}://${request.host}`)
  if (page === null) url.searchParams.delete('page')
  else url.searchParams.set('page', String(page))
  url.searchParams.sort()
  return url.toString()
}

/** `{count, next, previous, results}` with DRF's absolute links, sorted parameters. */
export function pageBody(request: FastifyRequest, page: number, count: number, results: unknown[]) {
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE))
  return {
    count,
    next: page < pages ? linkTo(request, page + 1) : null,
    previous: page > 1 ? linkTo(request, page === 2 ? null : page - 1) : null,
    results,
  }
}

/**
 * A first cursor page's body (DRF's CursorPagination ordered by id): `next` names the page's last
 * id as the position to go on from, when a row past the page was found.
 */
export function firstCursorPage(request: FastifyRequest, rows: BucketlistRow[]) {
  const results = rows.slice(0, PAGE_SIZE)
  let next: string | null = null
  if (rows.length > PAGE_SIZE) {
    const cursor = Buffer.from(`p=${results[results.length - 1].id}`).toString('base64')
    const url = new URL(request.url, `${request.protocol}://${request.host}`)
    url.searchParams.set('cursor', cursor)
    next = url.toString()
  }
  return { next, previous: null, results }
}

/** The detail's answer: 404, 403 (IsOwner) or the row. */
export function detailAnswer(reply: FastifyReply, user: UserRow, row: BucketlistRow | undefined) {
  if (!row) return reply.code(404).send({ detail: 'Not found.' })
  if (row.owner_id !== user.id) {
    return reply.code(403).send({ detail: 'You do not have permission to perform this action.' })
  }
  return reply.send(row)
}

/** A detail URL's id as a number, or null when it is not one (a 404 without a query). */
export function detailId(raw: string): number | null {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null
}
