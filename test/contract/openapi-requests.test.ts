import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { mintToken } from '../../src/accounts/index.ts'
import { png } from '../helpers/images.ts'
import { createMailbox } from '../helpers/mailbox.ts'
import { createTestApp } from '../helpers/test-app.ts'

// Requests generated from the OpenAPI document, for every operation it describes: whatever the
// path parameters (ids that exist, others', malformed), the body (valid or not, JSON, form or
// garbage) and the credentials (none, good, bad), the answer's status must be one the document
// lists for that operation, its body must match the schema documented for that status, and it is
// never a 500. Bounded: a few runs per operation.

type Schema = Record<string, unknown>
type Operation = {
  operationId: string
  parameters: { name: string; in: 'path' | 'query'; schema: Schema }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
}
type Document = {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema> }
}

// OPENAPI_RUNS=200 searches harder (locally, when changing routes).
const RUNS = Number(process.env.OPENAPI_RUNS) || 10

// Mails (resets, activations) go to files, not the test's output.
const mailbox = createMailbox()
const t = await createTestApp(mailbox.env)
afterAll(async () => {
  await t.close()
  mailbox.remove()
})

const alice = await t.user('alice')
const bob = await t.user('bob')
const staff = await t.user('staff', { is_staff: true })
// Grants are given by a superuser: staff give only what they hold themselves.
const root = await t.user('root', { is_staff: true, is_superuser: true })

/** Send a JSON request as a user (by token) and return the parsed answer. */
async function as(token: string, method: string, url: string, json?: unknown) {
  const res = await t.request({ method: method as 'GET', url, json, token })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`)
  return res.body ? res.json() : null
}

// A world with something of everything, mostly alice's, some bob's.
async function seed() {
  for (const who of [alice, bob]) {
    await as(who.token, 'POST', '/bucketlists/', { name: `${who.username}'s list` })
    const friend = await as(who.token, 'POST', '/api/v1/friends/', { name: 'Ann' })
    const thing = await as(who.token, 'POST', '/api/v1/belongings/', { name: 'Book' })
    await as(who.token, 'POST', '/api/v1/borrowings/', { what: thing.id, to_who: friend.id })
    await as(who.token, 'POST', '/api/status/', { status_content: 'Hello' })
    await as(who.token, 'POST', '/survey/api/surveys/', { title: 'Q', status: 'published' })
    await as(who.token, 'POST', '/survey/api/surveys/', { title: 'Draft' })
  }
  const org = await as(alice.token, 'POST', '/rbac/organizations/', { name: 'Acme' })
  const project = await as(alice.token, 'POST', `/rbac/organizations/${org.id}/projects/`, {
    name: 'Rocket',
  })
  await as(alice.token, 'POST', `/rbac/organizations/${org.id}/members/`, {
    user_id: bob.id,
    role: 'viewer',
  })
  await as(alice.token, 'POST', `/rbac/organizations/${org.id}/projects/${project.id}/members/`, {
    user_id: bob.id,
    role: 'editor',
  })
  const group = await as(staff.token, 'POST', '/api/auth/groups/', { name: 'editors' })
  await as(staff.token, 'POST', `/api/auth/groups/${group.id}/users/`, { user_id: alice.id })
  await as(root.token, 'POST', '/api/auth/object-permissions/', {
    codename: 'surveys.change_survey',
    object_type: 'surveys.survey',
    object_id: '1',
    user_id: alice.id,
  })
  // A session of alice's, for the session list.
  const login = await t.request({
    method: 'POST',
    url: '/rbac/auth/login',
    json: { email: alice.email, password: alice.password },
  })
  expect(login.statusCode).toBe(200)
}
await seed()

const doc: Document = (await t.request({ method: 'GET', url: '/openapi.json' })).json()
const jwt = await as('', 'POST', '/api/token/', { username: 'bob', password: bob.password })

// --- Path parameters: the ids that exist, found by listing each parent as alice and as staff.

const PARAM = /\{(\w+)\}/

function idsIn(body: unknown, param: string): string[] {
  const items = Array.isArray(body)
    ? body
    : ((body as { results?: unknown[] } | null)?.results ?? [])
  return items
    .map((item) => {
      const row = item as Record<string, unknown>
      return String((param === 'user_id' ? (row.user_id ?? row.id) : (row.id ?? row.pk)) ?? '')
    })
    .filter(Boolean)
    .slice(0, 4)
}

/** Every assignment of a path's parameters that names existing objects (a few per level). */
async function existing(path: string, bound: Record<string, string> = {}) {
  const match = PARAM.exec(path)
  if (!match) return [bound]
  const parent = path.slice(0, match.index)
  const values = new Set<string>()
  for (const who of [alice, staff]) {
    const res = await t.request({ method: 'GET', url: parent, token: who.token })
    if (res.statusCode === 200) for (const id of idsIn(res.json(), match[1])) values.add(id)
  }
  const found: Record<string, string>[] = []
  for (const value of values) {
    const rest = path.replace(match[0], value)
    found.push(...(await existing(rest, { ...bound, [match[1]]: value })))
  }
  return found
}

const malformedId = fc.oneof(
  fc.constantFrom('0', '-1', '999999999', '99999999999999999999', '1e3', ' 1', 'x', 'é'),
  fc.constantFrom('me', 'set_password', '1.5', '%20', '00000000-0000-0000-0000-00000000000g'),
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  fc.integer({ min: 1, max: 12 }).map(String),
)

// --- Bodies and query values from JSON Schemas.

const knownUserIds = [alice.id, bob.id, staff.id]

// Values that mean something to the server, by property name, so that requests also succeed
// (log in, refresh a token, grant a codename) and not only fail validation.
const meaningful: Record<string, unknown[]> = {
  username: [alice.username, alice.email],
  email: [alice.email, bob.email],
  password: [alice.password],
  current_password: [alice.password],
  refresh: [jwt.refresh],
  token: [jwt.access, jwt.refresh],
  role: ['viewer', 'editor', 'admin'],
  codename: ['surveys.view_survey'],
  object_type: ['surveys.survey'],
  permissions: [['surveys.view_survey'], ['bucketlists.add_bucketlist']],
}

function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  if (Array.isArray(schema.anyOf)) {
    return fc.oneof(...(schema.anyOf as Schema[]).map((s) => arbitraryFor(s, depth)))
  }
  if (Array.isArray(schema.type)) {
    return fc.oneof(
      ...(schema.type as string[]).map((type) => arbitraryFor({ ...schema, type }, depth)),
    )
  }
  switch (schema.type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      // Small, to name existing rows; now and then past what a database column holds.
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: (schema.minimum as number) ?? -3, max: 12 }) },
        fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e21),
      )
    case 'number':
      return fc.double({ noNaN: true, min: -10, max: 10 })
    case 'string':
      return stringFor(schema)
    case 'array':
      return depth > 2
        ? fc.constant([])
        : fc.array(arbitraryFor((schema.items as Schema) ?? {}, depth + 1), { maxLength: 3 })
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const model = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => {
          const random = arbitraryFor(s, depth + 1)
          const known = meaningful[k]
          return [k, known ? fc.oneof(fc.constantFrom(...known), random) : random]
        }),
      )
      return fc.record(model, { requiredKeys: (schema.required as string[]) ?? [] })
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const maxLength = Math.min((schema.maxLength as number) ?? 24, 24)
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(fc.constantFrom(...knownUserIds), fc.uuid())
    case 'email':
      return fc.oneof(fc.constantFrom(alice.email, 'nobody@example.com'), fc.emailAddress())
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01') })
        .map((d) => d.toISOString())
    default:
      return fc.oneof(
        fc.string({ minLength: 1, maxLength }),
        fc.constantFrom('', ' ', 'surveys.change_survey', 'Acme', alice.username),
      )
  }
}

// Bodies the schema does not describe.
const wrongBody = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
)

type Encoded = { payload?: string | Buffer; contentType?: string }

function formEncoded(value: unknown): Encoded {
  const form = new URLSearchParams()
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item !== null && typeof item !== 'object') form.append(k, String(item))
      }
    }
  }
  return { payload: form.toString(), contentType: 'application/x-www-form-urlencoded' }
}

const image = await png(8, 8)

function multipart(field: string, bytes: Buffer, filename: string): Encoded {
  const boundary = 'openapi-property-boundary'
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`
  return {
    payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

function bodyFor(op: Operation): fc.Arbitrary<Encoded> {
  const content = op.requestBody?.content
  if (!content) return fc.constant({})
  // A body that carries a file is offered as multipart alone.
  const multipartSchema = content['application/json']
    ? undefined
    : content['multipart/form-data']?.schema
  if (multipartSchema) {
    const field = Object.keys((multipartSchema.properties ?? {}) as object)[0] ?? 'file'
    return fc.oneof(
      fc.constant(multipart(field, image, 'a.png')),
      fc.uint8Array({ maxLength: 64 }).map((b) => multipart(field, Buffer.from(b), 'b.png')),
      fc.constant(multipart('other', image, 'a.png')),
      fc.constant({ payload: '{}', contentType: 'application/json' }),
      fc.constant({}),
    )
  }
  const schema = content['application/json'].schema
  const json = (value: unknown): Encoded => ({
    payload: JSON.stringify(value),
    contentType: 'application/json',
  })
  return fc.oneof(
    { weight: 5, arbitrary: arbitraryFor(schema).map(json) },
    { weight: 2, arbitrary: arbitraryFor(schema).map(formEncoded) },
    { weight: 2, arbitrary: wrongBody.map(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Encoded>(
        { payload: '{"name": ', contentType: 'application/json' },
        { payload: 'hello', contentType: 'text/plain' },
        {},
      ),
    },
  )
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query')
  if (params.length === 0) return fc.constant('')
  // Mostly absent, often valid, sometimes nonsense (a page past the last is a 404).
  const values = Object.fromEntries(
    params.map((p) => [
      p.name,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: arbitraryFor(p.schema).map(String) },
        fc.constantFrom('', 'x', '0', '-1', '99'),
      ),
    ]),
  )
  // Now and then each name twice (`?page=1&page=x`): the server must take one value, not a list.
  return fc.tuple(fc.record(values), fc.boolean()).map(([q, twice]) => {
    const present = Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][]
    const all = twice ? [...present, ...present.map(([k]): [string, string] => [k, '1'])] : present
    const search = new URLSearchParams(all).toString()
    return search ? `?${search}` : ''
  })
}

// --- Who asks: nobody, alice (a fresh token each time: some operations revoke theirs), staff,
// or credentials that are wrong.

const credentials = fc.oneof(
  { weight: 4, arbitrary: fc.constant('alice') },
  { weight: 2, arbitrary: fc.constant('staff') },
  fc.constantFrom('none', 'bad-token', 'bad-jwt'),
)

// Once a run has deleted a user (DELETE /api/auth/users/me/ with their password), their old
// token stands for them: a deleted user's credentials.
async function tokenOf(user: { id: string; token: string }) {
  const gone = !(await t.db
    .selectFrom('users')
    .select('id')
    .where('id', '=', user.id)
    .executeTakeFirst())
  return gone ? user.token : mintToken(t.db, user.id)
}

async function authorization(who: string): Promise<string | undefined> {
  if (who === 'alice') return `Token ${await tokenOf(alice)}`
  if (who === 'staff') return `Token ${await tokenOf(staff)}`
  if (who === 'bad-token') return 'Token 0123456789abcdef0123456789abcdef01234567'
  if (who === 'bad-jwt') return 'Bearer not.a.jwt'
  return undefined
}

// --- Checking an answer against the document.

const ajv = new Ajv2020({ strict: false, allErrors: true })
// ajv-formats is CommonJS: its plugin is the default export's `default`.
addFormats.default(ajv)
const validators = new Map<string, ValidateFunction>()

// Component references made inline, so each response schema compiles on its own.
function inlined(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inlined)
  if (typeof schema !== 'object' || schema === null) return schema
  const ref = (schema as { $ref?: string }).$ref
  if (ref?.startsWith('#/components/schemas/')) {
    return inlined(doc.components.schemas[ref.slice('#/components/schemas/'.length)])
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlined(v)]))
}

function validatorFor(key: string, schema: Schema): ValidateFunction {
  let validate = validators.get(key)
  if (!validate) {
    validate = ajv.compile(inlined(schema) as Schema)
    validators.set(key, validate)
  }
  return validate
}

function order({ path, method }: { path: string; method: string }) {
  if (method !== 'DELETE') return 0
  return /^\/api\/auth\/users\/[^/]+\/$/.test(path) ? 2 : 1
}

const operations = Object.entries(doc.paths)
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  )
  // Deletes last, so the objects the others act on live as long as possible; users last of all.
  .sort((a, b) => order(a) - order(b))

const existingParams = new Map<string, Record<string, string>[]>()
for (const { path } of operations) {
  if (PARAM.test(path) && !existingParams.has(path)) existingParams.set(path, await existing(path))
}

describe('every operation of the OpenAPI document answers as documented', () => {
  it('covers the document, with existing objects to act on', () => {
    expect(operations.length).toBeGreaterThan(100)
    expect(existingParams.get('/bucketlists/{pk}/')?.length).toBeGreaterThan(0)
    expect(
      existingParams.get('/rbac/organizations/{org_id}/projects/{project_id}/members/{user_id}/')
        ?.length,
    ).toBeGreaterThan(0)
  })

  for (const { path, method, op } of operations) {
    it(`${method} ${path}`, async () => {
      const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name)
      const real = existingParams.get(path) ?? []
      const malformed = fc.record(Object.fromEntries(names.map((n) => [n, malformedId])))
      const params: fc.Arbitrary<Record<string, string>> =
        names.length === 0
          ? fc.constant({})
          : real.length > 0
            ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, malformed)
            : malformed
      await fc.assert(
        fc.asyncProperty(
          params,
          queryFor(op),
          bodyFor(op),
          credentials,
          fc.oneof(
            { weight: 7, arbitrary: fc.constant(undefined) },
            fc.constant('application/xml'),
          ),
          async (values, query, body, who, accept) => {
            const url =
              path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name])) +
              query
            const headers: Record<string, string> = {}
            const auth = await authorization(who)
            if (auth) headers.authorization = auth
            if (body.contentType) headers['content-type'] = body.contentType
            if (accept) headers.accept = accept
            const res = await t.app.inject({
              method: method as 'GET',
              url,
              headers,
              payload: body.payload,
            })
            const what = `${method} ${url} as ${who} → ${res.statusCode} ${res.body.slice(0, 300)}`
            // Never a 500; any other status (503 from /health) must be documented, as below.
            expect(res.statusCode, what).not.toBe(500)
            const documented = op.responses[String(res.statusCode)]
            expect(documented, `undocumented status: ${what}`).toBeDefined()
            if (res.body === '') return
            expect(res.headers['content-type'], what).toMatch(/^application\/json/)
            const schema = documented.content?.['application/json']?.schema
            expect(schema, `a body, but none documented: ${what}`).toBeDefined()
            const validate = validatorFor(`${method} ${path} ${res.statusCode}`, schema!)
            const valid = validate(res.json())
            expect(valid, `${what}\n${JSON.stringify(validate.errors)}`).toBe(true)
          },
        ),
        { numRuns: RUNS },
      )
    })
  }
})
