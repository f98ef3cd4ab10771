import { randomBytes } from 'node:crypto'
import { postJson } from './credentials.ts'
import type { Facts, Target } from './scenarios.ts'

// As on our servers: 50 bucketlists (page 1 of 3), 30 statuses, 50 of 100 projects granted.
const BUCKETLISTS = 50
const STATUSES = 30
const PUBLISHED_SURVEYS = 100
const DRAFT_SURVEYS = 20
const PROJECTS = 100

/** The DRF anchor's HTTP API, as a client (and its setup) uses it. */
function client(base: string) {
  async function post(path: string, body: unknown, token?: string) {
    const answer = await postJson(
      `${base}${path}`,
      body,
      token ? { authorization: `Token ${token}` } : {},
    )
    if (answer.status >= 300) {
      throw new Error(`DRF anchor: POST ${path} → ${answer.status}: ${JSON.stringify(answer.body)}`)
    }
    return answer.body as Record<string, unknown>
  }
  async function user(name: string) {
    const password = `Corr3ct-Horse-${name}`
    const created = await post('/api/auth/users/', {
      username: name,
      email: `${name}@example.com`,
      password,
    })
    const { token } = await post('/get-token/', { username: name, password })
    if (typeof token !== 'string') throw new Error('DRF anchor: /get-token/ gave no token')
    return { id: String(created.id), username: name, email: `${name}@example.com`, password, token }
  }
  return { post, user }
}

/**
 * Users and rows on a running DRF anchor like the ones seeded on our servers, made through its
 * HTTP API (it may be on another database, or reused across runs: hence the random names, and
 * counts read back rather than assumed).
 */
export async function prepareDrf(origin: string): Promise<Target> {
  const base = origin.replace(/\/+$/, '')
  const health = await fetch(`${base}/health`).catch((error: Error) => {
    throw new Error(`DRF anchor: cannot reach ${base} (is it running?): ${error.cause ?? error}`)
  })
  if (!health.ok) throw new Error(`DRF anchor: GET /health → ${health.status}`)
  const { post, user } = client(base)
  const suffix = randomBytes(4).toString('hex')
  const bench = await user(`bench_${suffix}`)
  const rbac = await user(`rbac_${suffix}`)
  const writer = await user(`writer_${suffix}`)
  const login = await user(`login_${suffix}`)

  const ids: number[] = []
  for (let i = 0; i < BUCKETLISTS; i++) {
    const created = await post(
      '/bucketlists/',
      { name: `${bench.username} list ${i}` },
      bench.token,
    )
    ids.push(Number(created.id))
  }
  for (let i = 0; i < STATUSES; i++) {
    await post('/api/status/', { status_content: `status ${i}` }, bench.token)
  }
  for (let i = 0; i < PUBLISHED_SURVEYS + DRAFT_SURVEYS; i++) {
    const status = i < PUBLISHED_SURVEYS ? 'published' : 'draft'
    const title = `${bench.username} survey ${i}`
    await post('/survey/api/surveys/', { title, description: `About ${i}?`, status }, bench.token)
  }
  // Anonymous users see every run's published surveys: count them rather than assume.
  const surveys = (await (await fetch(`${base}/survey/api/surveys/`)).json()) as { count: number }

  const org = await post('/rbac/organizations/', { name: `${bench.username} org` }, bench.token)
  const projects = `/rbac/organizations/${org.id}/projects/`
  for (let i = 0; i < PROJECTS; i++) {
    const project = await post(projects, { name: `project ${i}` }, bench.token)
    if (i % 2 === 0) {
      await post(
        `${projects}${project.id}/members/`,
        { user_id: rbac.id, role: 'viewer' },
        bench.token,
      )
    }
  }

  const facts: Facts = {
    username: bench.username,
    password: bench.password,
    token: bench.token,
    detailId: ids[Math.floor(ids.length / 2)],
    ownCount: BUCKETLISTS,
    statusCount: STATUSES,
    publishedSurveys: surveys.count,
    rbac: { token: rbac.token, orgId: String(org.id), visibleProjects: PROJECTS / 2 },
    writer: { email: writer.email, password: writer.password },
    login: { username: login.username, password: login.password },
  }
  return { server: 'drf', origin: base, facts }
}
