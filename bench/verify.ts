import { isDeepStrictEqual } from 'node:util'

/** A server to bench, with the credentials and object that exist on it. */
export interface Target {
  server: string
  origin: string
  token: string
  detailId: number
  /** How many bucketlists the token's user owns there. */
  ownCount: number
  /** The server's process, when it is ours to watch. */
  pid?: number
}

export type Scenario = 'detail' | 'list'
export const SCENARIOS: Scenario[] = ['detail', 'list']

export function pathOf(target: Target, scenario: Scenario): string {
  return scenario === 'detail' ? `/bucketlists/${target.detailId}/` : '/bucketlists/'
}

export function authHeaders(target: Target): Record<string, string> {
  return { authorization: `Token ${target.token}` }
}

interface Bucketlist {
  id: number
  name: string
  owner: string
  date_created: string
  date_modified: string
}

interface Page {
  count: number
  next: string | null
  previous: string | null
  results: Bucketlist[]
}

async function get(target: Target, path: string, headers: Record<string, string>) {
  const response = await fetch(target.origin + path, { headers })
  const text = await response.text()
  if (!response.headers.get('content-type')?.startsWith('application/json')) {
    throw new Error(`${target.server} GET ${path}: ${response.status}, not JSON: ${text}`)
  }
  // Pagination links are absolute: each server names its own origin.
  return { status: response.status, body: JSON.parse(text.replaceAll(target.origin, 'ORIGIN')) }
}

function check(ok: boolean, what: string, body: unknown): void {
  if (!ok) throw new Error(`verification failed: ${what}\n${JSON.stringify(body, null, 2)}`)
}

/** What a correct answer looks like, whichever server gave it. */
function checkShape(target: Target, scenario: Scenario, body: unknown): void {
  const keys = ['id', 'name', 'owner', 'date_created', 'date_modified']
  const isBucketlist = (b: Bucketlist) => isDeepStrictEqual(Object.keys(b).sort(), keys.sort())
  if (scenario === 'detail') {
    const b = body as Bucketlist
    check(isBucketlist(b) && b.id === target.detailId, `${target.server} detail`, body)
    return
  }
  const page = body as Page
  const full = target.ownCount > 20
  check(
    page.count === target.ownCount &&
      page.results.length === Math.min(20, target.ownCount) &&
      page.results.every(isBucketlist) &&
      new Set(page.results.map((b) => b.owner)).size === 1 &&
      page.previous === null &&
      (full ? page.next === 'ORIGIN/bucketlists/?page=2' : page.next === null),
    `${target.server} list: page 1 of the user's own ${target.ownCount}`,
    body,
  )
}

/**
 * Fail before measuring anything unless each target answers both endpoints with 200 and a
 * correct body, refuses a wrong token, and (for targets on the same data) answers the same
 * bodies as the reference: throughput of a broken endpoint means nothing.
 */
export async function verifyTargets(reference: Target, others: Target[], sameData: Target[]) {
  for (const target of [reference, ...others]) {
    for (const scenario of SCENARIOS) {
      const path = pathOf(target, scenario)
      const { status, body } = await get(target, path, authHeaders(target))
      check(status === 200, `${target.server} GET ${path} → ${status}, not 200`, body)
      checkShape(target, scenario, body)
      const wrong = await get(target, path, { authorization: `Token ${'0'.repeat(40)}` })
      check(wrong.status === 401, `${target.server} GET ${path} with a wrong token → 401`, wrong)
    }
  }
  for (const target of sameData) {
    for (const scenario of SCENARIOS) {
      const path = pathOf(target, scenario)
      const expected = (await get(reference, path, authHeaders(reference))).body
      const actual = (await get(target, path, authHeaders(target))).body
      check(
        isDeepStrictEqual(actual, expected),
        `${target.server} GET ${path} differs from ${reference.server}: ${JSON.stringify(expected)}`,
        actual,
      )
    }
  }
}
