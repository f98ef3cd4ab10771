import { randomBytes } from 'node:crypto'
import { anchorClient } from './anchor-client.ts'
import type { Facts, Target } from './scenarios.ts'

// As on our servers: 50 bucketlists (page 1 of 3), 30 statuses, 50 of 100 projects granted.
const BUCKETLISTS = 50
const STATUSES = 30
const PUBLISHED_SURVEYS = 100
const DRAFT_SURVEYS = 20
const PROJECTS = 100

/**
 * Users and rows on a running DRF anchor like the ones seeded on our servers, made through its
 * HTTP API (it may be on another database, or reused across runs: hence the random names, and
 * counts read back rather than assumed). `pid`: its process, when the bench started it (its CPU
 * is then measured too).
 */
export async function prepareDrf(origin: string, pid?: number): Promise<Target> {
  const base = origin.replace(/\/+$/, '')
  const { post, user, bucketlists, checkHealth } = anchorClient('DRF anchor', base)
  await checkHealth()
  const suffix = randomBytes(4).toString('hex')
  const bench = await user(`bench_${suffix}`)
  const rbac = await user(`rbac_${suffix}`)
  const writer = await user(`writer_${suffix}`)
  const login = await user(`login_${suffix}`)

  const ids = await bucketlists(bench, BUCKETLISTS)
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
  return { server: 'drf', origin: base, facts, ...(pid !== undefined && { pid }) }
}
