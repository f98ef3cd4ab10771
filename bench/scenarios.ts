import { isDeepStrictEqual } from 'node:util'

/** What a server's data offers the scenarios: who to be and what to expect back. */
export interface Facts {
  username: string
  password: string
  token: string
  detailId: number
  /** How many bucketlists the token's user owns there. */
  ownCount: number
  /** How many statuses the user (`username`) has written. */
  statusCount: number
  publishedSurveys: number
  rbac: { token: string; orgId: string; visibleProjects: number }
  writer: { email: string; password: string }
  login: { username: string; password: string }
  throttledToken?: string
  /** Minted on the server once it runs (a JWT access token; a session and its CSRF secret). */
  jwt?: string
  session?: { cookie: string; csrf: string }
}

/** A server to bench, with the data that exists on it. */
export interface Target {
  /** baseline, portcullis or drf: the column of the table it reports in. */
  server: string
  origin: string
  facts: Facts
  /** The server's process, when it is ours to watch. */
  pid?: number
}

/** One HTTP request, as autocannon sends it. */
export interface RequestSpec {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
  /** The body holds `[<id>]`, replaced by a fresh id in every request (rows that must differ). */
  unique?: boolean
}

export type ScenarioId =
  | 'token-detail'
  | 'token-list'
  | 'cursor-list'
  | 'jwt-status-list'
  | 'session-post'
  | 'rbac-projects'
  | 'anon-surveys'
  | 'no-credentials'
  | 'bad-token'
  | 'throttled'
  | 'login'

/** A load scenario: a request, the one status a correct server answers it with, and a body check. */
export interface Scenario {
  id: ScenarioId
  /** What is asked, for the table. */
  what: string
  /** Accepted requests, rejected ones (whose cost is held against the cheapest accepted), login. */
  kind: 'accepted' | 'rejected' | 'login'
  expect: number
  /** DESIGN.md's budgets are set on this one (ratio to baseline and DRF, p99). */
  budgeted?: boolean
  /** The bare-Fastify baseline serves it. */
  baseline?: boolean
  /** The DRF anchor can be asked it (it is not started with throttle rates of ours). */
  drf?: boolean
  /** Also run against the NestJS anchor (NESTJS_URL), which serves the bucketlist API only. */
  nestjs?: boolean
  /** Served by the Portcullis instance started with an exhausted `user` rate. */
  throttledServer?: boolean
  /** Served by the bench's cursor-list server (bench/serve-cursor.mjs), not the reference one. */
  cursorServer?: boolean
  /**
   * Fields whose values differ from one answer to the next (a new row's id, name and times):
   * two servers' answers are compared with these present but their values set aside.
   */
  varies?: string[]
  /** Connections, when not the run's (a password hash per request wants few). */
  connections?: number
  request(target: Target): RequestSpec
  /** Why a body is not what a correct server answers (null: it is). */
  check(body: unknown, target: Target): string | null
}

const json = { 'content-type': 'application/json' }
const tokenAuth = (token: string) => ({ authorization: `Token ${token}` })
const BAD_TOKEN = '0'.repeat(40)

type Row = Record<string, unknown>
interface Page {
  count: number
  next: string | null
  previous: string | null
  results: Row[]
}

const hasKeys = (row: unknown, keys: string[]) =>
  typeof row === 'object' &&
  row !== null &&
  isDeepStrictEqual(Object.keys(row).sort(), [...keys].sort())

/** Page 1 of `count` rows, 20 a page, each with `keys` and passing `each`. */
function firstPage(body: unknown, count: number, keys: string[], each: (row: Row) => boolean) {
  const page = body as Page
  if (!hasKeys(page, ['count', 'next', 'previous', 'results'])) return 'not a page'
  if (page.count !== count) return `count ${page.count}, expected ${count}`
  if (page.results.length !== Math.min(20, count)) return `${page.results.length} results`
  if (page.previous !== null) return 'a previous link on page 1'
  if (count > 20 !== (page.next !== null)) return `next link ${page.next}`
  if (!page.results.every((r) => hasKeys(r, keys))) return `results not of keys ${keys}`
  if (!page.results.every(each)) return 'a result that does not belong on the page'
  return null
}

const BUCKETLIST = ['id', 'name', 'owner', 'date_created', 'date_modified']
const STATUS = ['id', 'user_profile', 'status_content', 'created_at', 'updated_at']
const PROJECT = ['id', 'organization', 'name', 'created_at']
const SURVEY = ['id', 'title', 'description', 'status', 'creator', 'created_at']

function detail(body: unknown, expected: string) {
  const detail = (body as { detail?: unknown })?.detail
  return detail === expected ? null : `detail ${JSON.stringify(detail)}, expected "${expected}"`
}

/** Every scenario, in the order they are measured and reported. */
export const SCENARIOS: Scenario[] = [
  {
    id: 'token-detail',
    what: 'GET /bucketlists/{id}/ · Token',
    kind: 'accepted',
    expect: 200,
    budgeted: true,
    baseline: true,
    drf: true,
    nestjs: true,
    request: (t) => ({
      method: 'GET',
      path: `/bucketlists/${t.facts.detailId}/`,
      headers: tokenAuth(t.facts.token),
    }),
    check: (body, t) =>
      hasKeys(body, BUCKETLIST) && (body as Row).id === t.facts.detailId
        ? null
        : 'not the bucketlist',
  },
  {
    id: 'token-list',
    what: 'GET /bucketlists/ (own, page 1 of 50) · Token',
    kind: 'accepted',
    expect: 200,
    budgeted: true,
    baseline: true,
    drf: true,
    nestjs: true,
    request: (t) => ({ method: 'GET', path: '/bucketlists/', headers: tokenAuth(t.facts.token) }),
    check: (body, t) =>
      firstPage(body, t.facts.ownCount, BUCKETLIST, (r) => r.owner === t.facts.username),
  },
  {
    id: 'cursor-list',
    what: 'GET /cursor/bucketlists/ (own, cursor page 1, no COUNT) · Token',
    kind: 'accepted',
    expect: 200,
    cursorServer: true,
    baseline: true,
    request: (t) => ({
      method: 'GET',
      path: '/cursor/bucketlists/',
      headers: tokenAuth(t.facts.token),
    }),
    check: (body, t) => {
      const page = body as Omit<Page, 'count'>
      if (!hasKeys(page, ['next', 'previous', 'results'])) return 'not a cursor page'
      if (page.previous !== null || page.next === null) return 'links of no first page'
      if (page.results.length !== Math.min(20, t.facts.ownCount)) return 'not 20 results'
      const own = page.results.every((r) => hasKeys(r, BUCKETLIST) && r.owner === t.facts.username)
      return own ? null : 'a result that does not belong on the page'
    },
  },
  {
    id: 'jwt-status-list',
    what: 'GET /api/status/?username= (page 1 of 30) · JWT',
    kind: 'accepted',
    expect: 200,
    baseline: true,
    drf: true,
    request: (t) => ({
      method: 'GET',
      path: `/api/status/?username=${encodeURIComponent(t.facts.username)}`,
      headers: { authorization: `Bearer ${t.facts.jwt}` },
    }),
    check: (body, t) =>
      firstPage(body, t.facts.statusCount, STATUS, (r) => r.user_profile === t.facts.username),
  },
  {
    id: 'session-post',
    what: 'POST /bucketlists/ (a new row each) · session + CSRF',
    kind: 'accepted',
    expect: 201,
    baseline: true,
    drf: true,
    varies: ['id', 'name', 'date_created', 'date_modified'],
    request: (t) => ({
      method: 'POST',
      path: '/bucketlists/',
      headers: {
        ...json,
        cookie: t.facts.session!.cookie,
        'x-csrftoken': t.facts.session!.csrf,
      },
      body: JSON.stringify({ name: 'session [<id>]' }),
      unique: true,
    }),
    check: (body) =>
      hasKeys(body, BUCKETLIST) && String((body as Row).name).startsWith('session ')
        ? null
        : 'not the new bucketlist',
  },
  {
    id: 'rbac-projects',
    what: 'GET /rbac/organizations/{id}/projects/ (50 project grants) · Token',
    kind: 'accepted',
    expect: 200,
    baseline: true,
    drf: true,
    request: (t) => ({
      method: 'GET',
      path: `/rbac/organizations/${t.facts.rbac.orgId}/projects/`,
      headers: tokenAuth(t.facts.rbac.token),
    }),
    check: (body, t) =>
      firstPage(
        body,
        t.facts.rbac.visibleProjects,
        PROJECT,
        (r) => r.organization === t.facts.rbac.orgId,
      ),
  },
  {
    id: 'anon-surveys',
    what: 'GET /survey/api/surveys/ (published, page 1) · anonymous',
    kind: 'accepted',
    expect: 200,
    baseline: true,
    drf: true,
    request: () => ({ method: 'GET', path: '/survey/api/surveys/', headers: {} }),
    check: (body, t) =>
      firstPage(body, t.facts.publishedSurveys, SURVEY, (r) => r.status === 'published'),
  },
  {
    id: 'no-credentials',
    what: 'GET /bucketlists/{id}/ · no credentials → 401',
    kind: 'rejected',
    expect: 401,
    drf: true,
    nestjs: true,
    request: (t) => ({ method: 'GET', path: `/bucketlists/${t.facts.detailId}/`, headers: {} }),
    check: (body) => detail(body, 'Authentication credentials were not provided.'),
  },
  {
    id: 'bad-token',
    what: 'GET /bucketlists/{id}/ · wrong token → 401',
    kind: 'rejected',
    expect: 401,
    drf: true,
    nestjs: true,
    request: (t) => ({
      method: 'GET',
      path: `/bucketlists/${t.facts.detailId}/`,
      headers: tokenAuth(BAD_TOKEN),
    }),
    check: (body) => detail(body, 'Invalid token.'),
  },
  {
    id: 'throttled',
    what: 'GET /bucketlists/{id}/ · Token, over the user rate → 429',
    kind: 'rejected',
    expect: 429,
    throttledServer: true,
    request: (t) => ({
      method: 'GET',
      path: `/bucketlists/${t.facts.detailId}/`,
      headers: tokenAuth(t.facts.throttledToken!),
    }),
    check: (body) =>
      /^Request was throttled\. Expected available in \d+ seconds?\.$/.test(
        String((body as Row)?.detail),
      )
        ? null
        : 'not the throttled answer',
  },
  {
    id: 'login',
    what: 'POST /get-token/ (argon2id verify) · password',
    kind: 'login',
    expect: 200,
    drf: true,
    nestjs: true,
    connections: 4,
    request: (t) => ({
      method: 'POST',
      path: '/get-token/',
      headers: json,
      body: JSON.stringify({ username: t.facts.login.username, password: t.facts.login.password }),
    }),
    check: (body) => (typeof (body as Row)?.token === 'string' ? null : 'no token in the answer'),
  },
]

/** The scenarios named in `BENCH_SCENARIOS` (comma-separated ids), or all of them. */
export function selectScenarios(spec: string | undefined): Scenario[] {
  if (!spec) return SCENARIOS
  const ids = spec.split(',').map((s) => s.trim())
  const unknown = ids.filter((id) => !SCENARIOS.some((s) => s.id === id))
  if (unknown.length) {
    throw new Error(
      `BENCH_SCENARIOS: unknown ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`,
    )
  }
  return SCENARIOS.filter((s) => ids.includes(s.id))
}
