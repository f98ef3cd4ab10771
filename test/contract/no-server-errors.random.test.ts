import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../helpers/seeded-random.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// "Bad input gets a clear 4xx": every operation of the OpenAPI document, called with odd path
// parameters, query strings and bodies (JSON and form), by a staff user, a plain user and
// nobody; then with odd credentials (NUL, bytes that are not UTF-8, lone surrogates) in every
// place one travels: headers, cookies, path ids and the claims of validly signed JWTs.
// Seeded, so a failure replays; any 5xx is a bug.
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

// Text no database may be handed: NUL (PostgreSQL refuses it in any string), a lone surrogate.
const ODD_TEXT = ['\u0000', 'a\u0000b', '\ud800', '\u0000@example.com']
const ODD_PATH_IDS = ['%00', 'a%00b', '%ED%A0%80', '%FF', '%C0%80', '%F0%9F%98%80']
// Calls that end the harness's own credentials, when they carry them.
const ENDS_CREDENTIALS = /logout|set_password|password\/change|users\/me\/$/

const basic = (credentials: string | Buffer) =>
  `Basic ${Buffer.from(credentials).toString('base64')}`

/** A validly signed HS256 token whose payload is these bytes, UTF-8 or not. */
function signedBytes(payload: Buffer, key: string): string {
  const head = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')
  const body = `${head}.${payload.toString('base64url')}`
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`
}

type Forged = { label: string; token: string }

// Sessions live in Redis when it is configured: the database's session store is tried as well.
const SESSION_STORES: [string, { redisUrl?: string }][] = process.env.REDIS_URL
  ? [
      ['Redis', {}],
      ['the database', { redisUrl: '' }],
    ]
  : [['the database', {}]]

describe.each(SESSION_STORES)('no credential makes a 5xx, sessions in %s', (_, stores) => {
  let c: TestApp
  let victim: TestUser

  beforeAll(async () => {
    // Cookie mode, so that the JWT cookies are read as well as the Bearer header.
    c = await createTestApp({ JWT_AUTH_COOKIE: '1' }, stores)
    victim = await c.user('fuzz_victim')
  })
  afterAll(() => c?.close())

  /** Access and refresh tokens, signed by the server's own key, whose user or id is odd text. */
  async function forgedTokens(): Promise<Forged[]> {
    const now = Math.floor(Date.now() / 1000)
    const forged: Forged[] = []
    for (const token_type of ['access', 'refresh'] as const) {
      const base = { token_type, exp: now + 300, iat: now, jti: 'f'.repeat(32), user_id: victim.id }
      for (const text of [...ODD_TEXT, `${victim.id}\u0000`]) {
        for (const claim of ['user_id', 'jti']) {
          forged.push({
            label: `${token_type} ${claim}=${JSON.stringify(text)}`,
            token: await c.app.jwt.sign({ ...base, [claim]: text }),
          })
        }
      }
      const raw = Buffer.concat([
        Buffer.from(`{"token_type":"${token_type}","exp":${now + 300},"iat":${now},"jti":"`),
        Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
        Buffer.from('","user_id":"'),
        Buffer.from([0xc0, 0x80]),
        Buffer.from('"}'),
      ])
      const key = c.app.jwt.settings.signingKey as string
      forged.push({ label: `${token_type} not UTF-8`, token: signedBytes(raw, key) })
    }
    return forged
  }

  it('in any header, cookie, path id or token claim', async () => {
    const forged = await forgedTokens()
    const authorizations: [string, string][] = [
      [`Basic user\\0`, basic(`${victim.username}\u0000:${PASSWORD}`)],
      [`Basic email\\0`, basic(`${victim.email}\u0000:x`)],
      [`Basic \\0:\\0`, basic('\u0000:\u0000')],
      [`Basic password \\0`, basic(`${victim.username}:\u0000`)],
      ['Basic not UTF-8', basic(Buffer.from([0xff, 0xfe, 0x3a, 0x78]))],
      ['Basic surrogate', basic(Buffer.from([0xed, 0xa0, 0x80, 0x3a, 0x78]))],
      ['Basic not base64', 'Basic !!not*base64'],
      ['Token latin1', 'Token \u00ff\u00fe'],
      ['Bearer latin1', 'Bearer \u00ff.\u00fe.\u00fd'],
      ...forged.map((f): [string, string] => [`Bearer ${f.label}`, `Bearer ${f.token}`]),
    ]
    const cookies: [string, string][] = [
      ['sessionid \\0', 'sessionid=%00'],
      ['sessionid a\\0b', 'sessionid=a%00b'],
      ['sessionid surrogate', 'sessionid=%ED%A0%80'],
      ['sessionid not UTF-8', 'sessionid=%FF'],
      ['csrftoken \\0', 'csrftoken=%00; sessionid=%00'],
      ...forged.map((f): [string, string] => [
        `jwt-auth ${f.label}`,
        `jwt-auth=${f.token}; csrftoken=%00`,
      ]),
      ...forged.map((f): [string, string] => [`jwt-refresh ${f.label}`, `jwt-refresh=${f.token}`]),
    ]
    const presented = [
      ...authorizations.map(([label, authorization]) => ({ label, headers: { authorization } })),
      ...cookies.map(([label, cookie]) => ({ label, headers: { cookie } })),
    ]
    const good = { label: 'good token', headers: { authorization: `Token ${victim.token}` } }
    const doc = (await c.request({ method: 'GET', url: '/openapi.json' })).json() as Document
    const next = seededRandom(SEED + 1)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
    const failures: string[] = []
    let sent = 0
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
        const fields = Object.keys(
          operation.requestBody?.content?.['application/json']?.schema?.properties ?? {},
        )
        // Odd credentials, taken in turn; then, signed in, every odd id in the path.
        const trials = Array.from({ length: TRIALS }, () => ({
          ...presented[sent++ % presented.length],
          id: pick(ODD_PATH_IDS),
        }))
        if (template.includes('{') && !ENDS_CREDENTIALS.test(template)) {
          trials.push(...ODD_PATH_IDS.map((id) => ({ ...good, id })))
        }
        for (const { label, headers, id } of trials) {
          const url = template.replace(/\{\w+\}/g, id)
          // Body fields hold odd text or forged tokens: refresh, token, uid, username, email…
          const picked = fields.map((field) => [field, pick([...ODD_TEXT, ...forged])] as const)
          const json = Object.fromEntries(
            picked.map(([field, v]) => [field, typeof v === 'string' ? v : v.token]),
          )
          const res = await c.request({
            method: method.toUpperCase() as 'GET',
            url,
            headers,
            ...(method === 'get' || method === 'delete' ? {} : { json }),
          })
          if (res.statusCode >= 500) {
            const body = picked.map(
              ([field, v]) => `${field}: ${typeof v === 'string' ? JSON.stringify(v) : v.label}`,
            )
            failures.push(
              `${res.statusCode} ${method.toUpperCase()} ${url} [${label}] {${body.join(', ')}}`,
            )
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(presented.length * 4)
    expect(failures).toEqual([])
  })
})
