import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/test-app.ts'

// The OpenAPI document at /openapi.json and the API reference page at /docs (issue 7).

type Operation = {
  operationId: string
  security: Record<string, string[]>[]
  parameters: { name: string; in: string }[]
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>
}
type Document = {
  openapi: string
  info: { title: string; version: string }
  servers: { url: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, Record<string, string>> }
}

let t: TestApp
let doc: Document
beforeAll(async () => {
  t = await createTestApp()
  const res = await t.request({ method: 'GET', url: '/openapi.json' })
  expect(res.statusCode).toBe(200)
  doc = res.json()
})
afterAll(async () => {
  await t?.close()
})

// HTML pages and files: served, but no part of the API (`*` is /media/'s wildcard, which
// printRoutes shows on its own).
const NOT_API = [
  /^\/auth\//,
  /^\/api-auth\//,
  /^\/favicon\.ico$/,
  /^\/media\//,
  /^\*$/,
  /^\/docs(\/|$)/,
  /^\/static\//,
]

/**
 * Every method and path the server serves, read from Fastify's own route tree (`printRoutes`),
 * so the check does not trust the code that builds the document.
 */
function serverRoutes(tree: string): [string, string][] {
  const routes: [string, string][] = []
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line)
    if (!match) continue
    const depth = match[1].length / 4
    stack.length = depth
    stack.push(match[2])
    const path = stack.join('')
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push([method, path])
    }
  }
  return routes
}

const templated = (path: string) => path.replace(/:(\w+)/g, '{$1}')

function operations(): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, op]) => [path, method, op] as [string, string, Operation],
    ),
  )
}

describe('GET /openapi.json', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator()
    const result = await validator.validate(doc as unknown as Record<string, unknown>)
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
    expect(doc.openapi).toMatch(/^3\.1\./)
  })

  it('names the server, its version and its origin', async () => {
    const { readFile } = await import('node:fs/promises')
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'))
    expect(doc.info).toMatchObject({ title: 'Portcullis reference server', version: pkg.version })
    expect(doc.servers).toEqual([{ url: '/' }])
  })

  it('describes every route the server has, and nothing else', () => {
    const served = serverRoutes(t.app.printRoutes({ commonPrefix: false }))
    const api = served.filter(([, path]) => !NOT_API.some((re) => re.test(path)))
    expect(api.length).toBeGreaterThan(100)
    const missing = api.filter(([m, p]) => !doc.paths[templated(p)]?.[m.toLowerCase()])
    expect(missing).toEqual([])
    const known = new Set(api.map(([m, p]) => `${m.toLowerCase()} ${templated(p)}`))
    const extra = operations().filter(([p, m]) => !known.has(`${m} ${p}`))
    expect(extra).toEqual([])
  })

  it('leaves the HTML pages, the icon, media files and /docs out', () => {
    for (const path of Object.keys(doc.paths)) {
      expect(
        NOT_API.some((re) => re.test(path)),
        path,
      ).toBe(false)
    }
  })

  it('has unique operation ids, a summary and a tag on every operation', () => {
    const ids = operations().map(([, , op]) => op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const [, , op] of operations()) {
      expect(op).toMatchObject({ summary: expect.any(String), tags: [expect.any(String)] })
    }
  })

  it('templates path parameters and declares each one', () => {
    const detail = doc.paths['/rbac/organizations/{org_id}/projects/{project_id}/'].get
    expect(detail.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual([
      'org_id',
      'project_id',
    ])
    expect(Object.keys(doc.paths).some((p) => p.includes(':'))).toBe(false)
  })

  it('describes the four security schemes, and each is used', () => {
    const schemes = doc.components.securitySchemes
    expect(schemes.basicAuth).toMatchObject({ type: 'http', scheme: 'basic' })
    expect(schemes.tokenAuth).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' })
    expect(schemes.tokenAuth.description).toContain('Token <key>')
    expect(schemes.jwtAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    expect(schemes.sessionAuth).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sessionid' })
    expect(schemes.sessionAuth.description).toContain('X-CSRFToken')
    const used = new Set(operations().flatMap(([, , op]) => op.security.flatMap(Object.keys)))
    for (const name of ['basicAuth', 'tokenAuth', 'jwtAuth', 'sessionAuth']) {
      expect(used.has(name), name).toBe(true)
    }
  })

  it("gives each operation its route's schemes, and {} where anonymous requests pass", () => {
    const ops = doc.paths
    // The bucketlists authenticate by Basic, Token and session only (seed 000), and need a user.
    expect(ops['/bucketlists/{pk}/'].get.security).toEqual([
      { basicAuth: [] },
      { tokenAuth: [] },
      { sessionAuth: [] },
    ])
    // IsAuthenticatedOrReadOnly: anyone reads surveys, only users write.
    expect(ops['/survey/api/surveys/'].get.security).toContainEqual({})
    expect(ops['/survey/api/surveys/'].post.security).not.toContainEqual({})
    // Server defaults, and AllowAny.
    expect(ops['/api/v1/friends/'].get.security.map((s) => Object.keys(s)[0])).toEqual([
      'basicAuth',
      'tokenAuth',
      'jwtAuth',
      'sessionAuth',
    ])
    expect(ops['/api/auth/users/'].post.security).toContainEqual({})
    // simplejwt's views authenticate nobody: the token is in the body.
    expect(ops['/api/token/'].post.security).toEqual([{}])
    expect(ops['/openapi.json'].get.security).toEqual([{}])
    // A role lookup cannot be decided without a user: never claimed open.
    expect(ops['/rbac/organizations/{org_id}/'].get.security).not.toContainEqual({})
  })

  it('offers JSON, form and multipart bodies, and multipart alone where a file is sent', () => {
    const create = doc.paths['/bucketlists/'].post.requestBody!
    expect(Object.keys(create.content)).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ])
    expect(create.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['name'],
    })
    const avatar = doc.paths['/api/avatar/'].put.requestBody!
    expect(Object.keys(avatar.content)).toEqual(['multipart/form-data'])
    // Custom routes declare what they read.
    const login = doc.paths['/api/token/'].post.requestBody!
    expect(login.content['application/json'].schema).toMatchObject({
      properties: { username: { type: 'string' }, password: { type: 'string' } },
    })
    expect(doc.paths['/bucketlists/'].get.requestBody).toBeUndefined()
  })

  it('documents the query parameters of lists', () => {
    const names = doc.paths['/bucketlists/'].get.parameters.map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['page', 'page_size', 'ordering', 'search']))
    expect(doc.paths['/rbac/organizations/'].get.parameters.map((p) => p.name)).toContain('page')
  })

  it('documents the error bodies each route can give', () => {
    const statuses = (path: string, method: string) =>
      Object.keys(doc.paths[path][method].responses).map(Number)
    // A body: 400 with field errors, 415; Basic first: 401; IsOwner: 403; a detail route: 404.
    expect(statuses('/bucketlists/{pk}/', 'put')).toEqual(
      expect.arrayContaining([200, 400, 401, 403, 404, 406, 415, 429]),
    )
    expect(statuses('/bucketlists/{pk}/', 'delete')).toContain(204)
    // No body on a read; public and unthrottled: no 401, 403 or 429.
    expect(statuses('/bucketlists/{pk}/', 'get')).not.toContain(400)
    expect(statuses('/openapi.json', 'get')).toEqual([200, 406])
    const invalid = doc.paths['/bucketlists/'].post.responses['400'].content!['application/json']
    expect(JSON.stringify(invalid.schema)).toContain('#/components/schemas/FieldErrors')
    const denied = doc.paths['/bucketlists/{pk}/'].get.responses['403'].content!['application/json']
    expect(denied.schema).toEqual({ $ref: '#/components/schemas/Detail' })
  })

  it('is JSON Schema 2020-12 throughout: no OpenAPI 3.0 `nullable`, no TypeBox leftovers', () => {
    const text = JSON.stringify(doc)
    expect(text).not.toContain('"nullable"')
    expect(text).not.toContain('[null,')
    // A nullable date is a type array.
    const borrowing = doc.paths['/api/v1/borrowings/{pk}/'].get.responses['200'].content!
    expect(JSON.stringify(borrowing['application/json'].schema)).toContain(
      '"returned":{"format":"date-time","type":["string","null"]}',
    )
  })
})

describe('GET /docs', () => {
  // Every src and href of the page: scripts, styles, icons.
  const references = (html: string) =>
    [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1])

  it('is an HTML page whose scripts and styles are all served by this server', async () => {
    const res = await t.request({ method: 'GET', url: '/docs', headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    const refs = references(res.body)
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      expect(ref, 'no other origin').not.toMatch(/^(https?:)?\/\//i)
      const asset = await t.request({ method: 'GET', url: new URL(ref, 'http://x/docs').pathname })
      expect(asset.statusCode, ref).toBe(200)
    }
    expect(res.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/)
    // It reads the document from this server.
    expect(res.body).toContain('"/openapi.json"')
  })

  it('allows its own origin only (and its one inline script, by hash)', async () => {
    const res = await t.request({ method: 'GET', url: '/docs' })
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/)
    expect(csp).not.toMatch(/https?:/)
    expect(csp).not.toContain("'unsafe-eval'")
  })

  it('serves the script from node_modules, and is public', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/docs/scalar.js',
      token: 'not-a-token-at-all',
    })
    // No authentication runs: even a bad token header is not looked at.
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/javascript/)
    expect(res.body).toContain('createApiReference')
    expect(res.body.length).toBeGreaterThan(100_000)
  })
})
