import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../helpers/seeded-random.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// "Bad input gets a clear 4xx": every operation of the OpenAPI document, called with odd path
// parameters, query strings and bodies (JSON and form), by a staff user, a plain user and
// nobody. Seeded, so a failure replays; any 5xx is a bug.
const SEED = 20261202
const TRIALS = 8

type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> } }
type Schema = { properties?: Record<string, unknown> }
type Document = { paths: Record<string, Record<string, Operation>> }

const ODD_IDS = [
  '0',
  '-1',
  '99999999999999999999',
  'abc',
  '%00',
  '1e3',
  'a'.repeat(300),
  '%F0%9F%98%80',
]
const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  2 ** 63,
  1.5,
  1e308,
  '',
  ' ',
  'x'.repeat(10_000),
  'a\u0000b',
  '\ud800',
  [],
  [1, 'a'],
  {},
  { a: { b: [] } },
  '2026-13-45T99:99:99Z',
  '9999-12-31T23:59:59Z',
  'owner',
  "' OR 1=1 --",
]
const ODD_QUERIES = [
  '',
  '?page=last',
  '?page=-1',
  '?page=99999999999999999999',
  '?page_size=0',
  '?ordering=-',
  '?ordering=,,x',
  '?search=%00',
  '?search=%25_',
  '?username=%00',
  '?has_overdue=true',
  '?object_type=%00&codename=%00&user_id=%00',
  '?username=%00%00&page=2',
]
// Calls that end the harness's own credentials would only turn the rest into 401s.
const SKIPPED =
  /logout|set_password|password\/change|\/tokens\/\{pk\}|users\/me\/$|users\/\{id\}\/$/

let t: TestApp
let staff: TestUser
let plain: TestUser
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestApp()
  staff = await t.user('fuzz_staff', { is_staff: true })
  plain = await t.user('fuzz_plain')
  const made = async (url: string, json: unknown) => {
    const res = await t.request({ method: 'POST', url, token: staff.token, json })
    return String(res.json().id)
  }
  ids.org_id = await made('/rbac/organizations/', { name: 'fuzz org' })
  ids.project_id = await made(`/rbac/organizations/${ids.org_id}/projects/`, { name: 'fuzz' })
  ids['/bucketlists/'] = await made('/bucketlists/', { name: 'fuzz list' })
  ids['/api/status/'] = await made('/api/status/', { status_content: 'fuzz' })
  ids['/survey/'] = await made('/survey/api/surveys/', { title: 'fuzz' })
  ids['/api/v1/friends/'] = await made('/api/v1/friends/', { name: 'fuzz friend' })
  ids['/api/v1/belongings/'] = await made('/api/v1/belongings/', { name: 'fuzz thing' })
  ids.user_id = staff.id
  ids.id = staff.id
})
afterAll(() => t?.close())

describe('no input makes a 5xx', () => {
  it('on any operation of the OpenAPI document', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json() as Document
    const next = seededRandom(SEED)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
    const failures: string[] = []
    let sent = 0
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
        if (SKIPPED.test(template)) continue
        const fields = Object.keys(
          operation.requestBody?.content?.['application/json']?.schema?.properties ?? {},
        )
        for (let trial = 0; trial < TRIALS; trial++) {
          const odd = trial % 3 === 0
          const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
            if (odd) return pick(ODD_IDS)
            const prefix = Object.keys(ids).find(
              (key) => key.startsWith('/') && template.startsWith(key),
            )
            return ids[name] ?? (prefix ? ids[prefix] : '1')
          })
          const url = path + pick(ODD_QUERIES)
          const token = pick([staff.token, staff.token, plain.token, undefined])
          const body = Object.fromEntries(
            fields.filter(() => next() < 0.8).map((f) => [f, pick(ODD_VALUES)]),
          )
          const asForm = next() < 0.3
          const res = await t.request({
            method: method.toUpperCase() as 'GET',
            url,
            token,
            ...(method === 'get' || method === 'delete'
              ? {}
              : asForm
                ? {
                    payload: new URLSearchParams(
                      Object.entries(body).map(([k, v]) => [
                        k,
                        typeof v === 'string' ? v : JSON.stringify(v),
                      ]),
                    ).toString(),
                    headers: { 'content-type': 'application/x-www-form-urlencoded' },
                  }
                : { json: next() < 0.1 ? pick([null, [], 5, 'x']) : body }),
          })
          sent++
          if (res.statusCode >= 500) {
            failures.push(
              `${res.statusCode} ${method.toUpperCase()} ${url} ${JSON.stringify(body).slice(0, 120)}`,
            )
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(400)
    expect(failures).toEqual([])
  })
})
