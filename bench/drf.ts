import { randomBytes } from 'node:crypto'
import type { Target } from './verify.ts'

// As many as the bench user owns on our servers: page 1 of 20 of 50, with a next link.
const BUCKETLISTS = 50

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).catch((error: Error) => {
    throw new Error(`DRF anchor: cannot reach ${url} (is it running?): ${error.cause ?? error}`)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`DRF anchor: POST ${url} → ${response.status}: ${text}`)
  return JSON.parse(text) as Record<string, unknown>
}

/**
 * A fresh user with a token and a few bucketlists on a running DRF anchor, made through its HTTP
 * API (it may be on another database, or reused across runs: hence the random names).
 */
export async function prepareDrf(origin: string): Promise<Target> {
  const base = origin.replace(/\/+$/, '')
  const suffix = randomBytes(4).toString('hex')
  const username = `bench_${suffix}`
  const password = `Corr3ct-Horse-${suffix}`
  await post(`${base}/api/auth/users/`, { username, email: `${username}@example.com`, password })
  const { token } = await post(`${base}/get-token/`, { username, password })
  if (typeof token !== 'string') throw new Error('DRF anchor: /get-token/ gave no token')
  const ids: number[] = []
  for (let i = 0; i < BUCKETLISTS; i++) {
    const created = await post(
      `${base}/bucketlists/`,
      { name: `${username} list ${i}` },
      { authorization: `Token ${token}` },
    )
    ids.push(Number(created.id))
  }
  return {
    server: 'drf',
    origin: base,
    token,
    detailId: ids[Math.floor(ids.length / 2)],
    ownCount: BUCKETLISTS,
  }
}
