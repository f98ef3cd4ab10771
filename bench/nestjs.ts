import { randomBytes } from 'node:crypto'
import { anchorClient } from './anchor-client.ts'
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
  const { user, bucketlists, checkHealth } = anchorClient('NestJS anchor', base)
  await checkHealth()
  const suffix = randomBytes(4).toString('hex')
  const bench = await user(`bench_${suffix}`)
  const login = await user(`login_${suffix}`)
  const ids = await bucketlists(bench, BUCKETLISTS)
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
