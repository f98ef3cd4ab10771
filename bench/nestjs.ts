import { randomBytes } from 'node:crypto'
import { postJson } from './credentials.ts'
import type { Facts, Target } from './scenarios.ts'

// As on our servers: the bench user owns 50 bucketlists (page 1 of 3).
const BUCKETLISTS = 50

/**
 * A user with a token and 50 bucketlists on a running NestJS anchor (`../shared/anchors/nestjs`,
 * the bucketlist API only), made through its HTTP API. Only the scenarios marked `nestjs` run
 * there, so the facts of the other apps stay empty.
 */
export async function prepareNestjs(origin: string): Promise<Target> {
  const base = origin.replace(/\/+$/, '')
  const health = await fetch(`${base}/health`).catch((error: Error) => {
    throw new Error(`NestJS anchor: cannot reach ${base} (is it running?): ${error.cause ?? error}`)
  })
  if (!health.ok) throw new Error(`NestJS anchor: GET /health → ${health.status}`)
  async function post(path: string, body: unknown, token?: string) {
    const answer = await postJson(
      `${base}${path}`,
      body,
      token ? { authorization: `Token ${token}` } : {},
    )
    if (answer.status >= 300) {
      throw new Error(
        `NestJS anchor: POST ${path} → ${answer.status}: ${JSON.stringify(answer.body)}`,
      )
    }
    return answer.body as Record<string, unknown>
  }
  async function user(name: string) {
    const password = `Corr3ct-Horse-${name}`
    await post('/api/auth/users/', { username: name, email: `${name}@example.com`, password })
    const { token } = await post('/get-token/', { username: name, password })
    if (typeof token !== 'string') throw new Error('NestJS anchor: /get-token/ gave no token')
    return { username: name, password, token }
  }
  const suffix = randomBytes(4).toString('hex')
  const bench = await user(`bench_${suffix}`)
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
  const facts: Facts = {
    username: bench.username,
    password: bench.password,
    token: bench.token,
    detailId: ids[Math.floor(ids.length / 2)],
    ownCount: BUCKETLISTS,
    statusCount: 0,
    publishedSurveys: 0,
    rbac: { token: '', orgId: '', visibleProjects: 0 },
    writer: { email: '', password: '' },
    login: { username: login.username, password: login.password },
  }
  return { server: 'nestjs', origin: base, facts }
}
