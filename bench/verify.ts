import { isDeepStrictEqual } from 'node:util'
import type { Scenario, Target } from './scenarios.ts'

interface Answer {
  status: number
  body: unknown
  /** The headers a client reads, but for those that differ by time, size or new secrets. */
  headers: Record<string, string>
}

// Headers that differ between two correct answers: the time, the size (a new row's id), a new
// session's or CSRF token's value, the connection's bookkeeping.
const VARYING_HEADERS = new Set([
  'date',
  'content-length',
  'set-cookie',
  'connection',
  'keep-alive',
])

/** One request of a scenario, its body parsed, with the server's own origin written ORIGIN. */
async function ask(target: Target, scenario: Scenario): Promise<Answer> {
  const spec = scenario.request(target)
  const response = await fetch(target.origin + spec.path, {
    method: spec.method,
    headers: spec.headers,
    body: spec.body?.replaceAll('[<id>]', `verify-${process.hrtime.bigint()}`),
  })
  const text = await response.text()
  if (!response.headers.get('content-type')?.startsWith('application/json')) {
    throw new Error(
      `${target.server} ${scenario.id}: ${response.status}, not JSON: ${text.slice(0, 300)}`,
    )
  }
  const headers: Record<string, string> = {}
  for (const [name, value] of response.headers) {
    if (!VARYING_HEADERS.has(name)) headers[name] = value.replaceAll(target.origin, 'ORIGIN')
  }
  // Pagination links are absolute: each server names its own origin.
  return {
    status: response.status,
    body: JSON.parse(text.replaceAll(target.origin, 'ORIGIN')),
    headers,
  }
}

function fail(what: string, body: unknown): never {
  throw new Error(`verification failed: ${what}\n${JSON.stringify(body, null, 2).slice(0, 2000)}`)
}

/**
 * Fail before measuring anything unless the target answers the scenario with its expected status
 * and a correct body: throughput of a broken endpoint means nothing. A throttled scenario gets a
 * few tries (the first requests of a window pass).
 */
export async function verifyScenario(scenario: Scenario, target: Target): Promise<unknown> {
  let answer = await ask(target, scenario)
  for (let i = 0; i < 3 && answer.status !== scenario.expect && scenario.throttledServer; i++) {
    answer = await ask(target, scenario)
  }
  if (answer.status !== scenario.expect) {
    fail(`${target.server} ${scenario.id} → ${answer.status}, not ${scenario.expect}`, answer.body)
  }
  const problem = scenario.check(answer.body, target)
  if (problem) fail(`${target.server} ${scenario.id}: ${problem}`, answer.body)
  return answer.body
}

/** An answer with the values of the scenario's `varies` fields set aside (their keys kept). */
function steady(answer: Answer, scenario: Scenario): Answer {
  const { body } = answer
  if (!scenario.varies || typeof body !== 'object' || body === null) return answer
  const kept = { ...(body as Record<string, unknown>) }
  for (const field of scenario.varies) if (field in kept) kept[field] = '(varies)'
  return { ...answer, body: kept }
}

/**
 * The baseline must answer exactly what Portcullis answers, headers too (bytes written are work
 * done), or the ratio compares two things.
 */
export async function verifySameAnswers(scenario: Scenario, reference: Target, other: Target) {
  const expected = steady(await ask(reference, scenario), scenario)
  const actual = steady(await ask(other, scenario), scenario)
  if (
    expected.status !== actual.status ||
    !isDeepStrictEqual(expected.body, actual.body) ||
    !isDeepStrictEqual(expected.headers, actual.headers)
  ) {
    // Status and headers first: a body of a page would hide them past the cut.
    const { body, ...rest } = expected
    fail(
      `${other.server} ${scenario.id} differs from ${reference.server}, which answers ${JSON.stringify(rest)} ${JSON.stringify(body).slice(0, 1000)}`,
      { status: actual.status, headers: actual.headers, body: actual.body },
    )
  }
}
