import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cursorPagination,
  type Database,
  f,
  IsAuthenticated,
  limitOffsetPagination,
  type OpenApi,
  pageNumberPagination,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import {
  createNotesTable,
  listingApp,
  loggingDatabase,
  notesDb,
  tokenOf,
} from '../helpers/listing-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Each paginator a viewset can declare (DRF's pagination_class), over HTTP on a real database:
// its envelope, links, parameters and refusals, and for cursors, no COUNT statement.
const Schema = resourceSchema('note', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 100 }),
  priority: f.integer(),
  created: f.datetime({ readOnly: true }),
})

const common = {
  table: 'listing_notes' as never,
  schema: Schema,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  actions: ['list' as const],
  query: (db: Database) =>
    notesDb(db).selectFrom('listing_notes').select(['id', 'title', 'priority', 'created']),
  scope: (request: { user: { id: string } | null }) => ({
    'listing_notes.owner_id': request.user!.id,
  }),
}

const router = new Router()
  .register('defaults', viewset({ ...common, basename: 'defaults' }))
  .register(
    'pages',
    viewset({
      ...common,
      basename: 'pages',
      pagination: pageNumberPagination({ pageSize: 5, pageSizeParam: 'size', maxPageSize: 8 }),
    }),
  )
  .register(
    'limits',
    viewset({
      ...common,
      basename: 'limits',
      pagination: limitOffsetPagination({ defaultLimit: 5, maxLimit: 8 }),
    }),
  )
  .register(
    'cursor',
    viewset({
      ...common,
      basename: 'cursor',
      pagination: cursorPagination({ ordering: '-id', pageSize: 5 }),
      filterFields: { priority: ['gte'] },
    }),
  )
  .register(
    'by-created',
    viewset({
      ...common,
      basename: 'by-created',
      scope: undefined,
      // The per-request form of scoping: its SQL is built on every request, not compiled.
      perRequestQuery: (request, query) =>
        query.where('listing_notes.owner_id', '=', request.user!.id),
      pagination: cursorPagination({ ordering: 'created', pageSize: 4 }),
    }),
  )
  .register(
    'by-priority',
    viewset({
      ...common,
      basename: 'by-priority',
      // Pairs of rows share a priority: pages whose rows all tie take the offset's branches.
      pagination: cursorPagination({ ordering: 'priority', pageSize: 2 }),
    }),
  )
  .register('all', viewset({ ...common, basename: 'all', pagination: false }))

const statements: string[] = []
let t: TestApp
let db: Database
let app: FastifyInstance
let openapi: OpenApi
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  t = await createTestApp()
  await createNotesTable(t.db)
  alice = await t.user('alice')
  bob = await t.user('bob')
  const rows = []
  for (let i = 1; i <= 15; i++) {
    rows.push({
      owner_id: i <= 12 ? alice.id : bob.id,
      title: `Note ${i}`,
      status: 'draft',
      priority: i % 7,
      parent_id: null,
      done: 0,
      ref: '00000000-0000-4000-8000-000000000000',
      // Later ids are older for bob, so the order by time is not the order by id.
      created: new Date(Date.UTC(2024, 0, 1, 0, 0, i <= 12 ? i : 30 - i)).toISOString(),
    })
  }
  for (const row of rows) {
    await notesDb(t.db)
      .insertInto('listing_notes')
      .values(row as never)
      .execute()
  }
  db = loggingDatabase(t, statements)
  ;({ app, openapi } = await listingApp(t, db, router))
})
afterAll(async () => {
  await app?.close()
  await db?.destroy()
  await t?.close()
})

async function get(url: string, user = alice) {
  const res = await app.inject({ method: 'GET', url, headers: tokenOf(user) })
  return { status: res.statusCode, body: res.json() }
}

const ids = (body: { results: { id: number }[] }) => body.results.map((r) => r.id)
const ORIGIN = 'http://localhost'

describe('page-number pagination', () => {
  it('is the default: 20 a page, ?page_size= up to 100', async () => {
    const all = await get('/defaults/')
    expect(all.body).toMatchObject({ count: 12, next: null, previous: null })
    expect(ids(all.body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const five = await get('/defaults/?page_size=5')
    expect(ids(five.body)).toEqual([1, 2, 3, 4, 5])
    expect(five.body.next).toBe(`${ORIGIN}/defaults/?page=2&page_size=5`)
  })

  it('takes its own page size, client parameter and maximum', async () => {
    const first = await get('/pages/')
    expect(first.body).toEqual({
      count: 12,
      next: `${ORIGIN}/pages/?page=2`,
      previous: null,
      results: expect.any(Array),
    })
    expect(ids(first.body)).toEqual([1, 2, 3, 4, 5])
    expect(ids((await get('/pages/?size=2')).body)).toEqual([1, 2])
    expect(ids((await get('/pages/?size=100')).body)).toHaveLength(8)
    // The default parameter's name means nothing here.
    expect(ids((await get('/pages/?page_size=2')).body)).toHaveLength(5)
    const last = await get('/pages/?page=3')
    expect(ids(last.body)).toEqual([11, 12])
    expect(last.body).toMatchObject({ next: null, previous: `${ORIGIN}/pages/?page=2` })
    expect((await get('/pages/?page=last')).body).toEqual(last.body)
    expect(await get('/pages/?page=4')).toEqual({ status: 404, body: { detail: 'Invalid page.' } })
  })
})

describe('limit/offset pagination', () => {
  it("answers with DRF's envelope and links", async () => {
    const first = await get('/limits/')
    expect(first.body).toMatchObject({
      count: 12,
      next: `${ORIGIN}/limits/?limit=5&offset=5`,
      previous: null,
    })
    expect(ids(first.body)).toEqual([1, 2, 3, 4, 5])
    const middle = await get('/limits/?limit=2&offset=2')
    expect(ids(middle.body)).toEqual([3, 4])
    expect(middle.body).toMatchObject({
      next: `${ORIGIN}/limits/?limit=2&offset=4`,
      previous: `${ORIGIN}/limits/?limit=2`,
    })
    const odd = await get('/limits/?limit=2&offset=3&title=x')
    expect(odd.body.previous).toBe(`${ORIGIN}/limits/?limit=2&offset=1&title=x`)
    const end = await get('/limits/?offset=10')
    expect(ids(end.body)).toEqual([11, 12])
    expect(end.body).toMatchObject({ next: null, previous: `${ORIGIN}/limits/?limit=5&offset=5` })
  })

  it('caps the limit, reads a malformed one as the default, and an offset past the end as empty', async () => {
    expect(ids((await get('/limits/?limit=100')).body)).toHaveLength(8)
    expect(ids((await get('/limits/?limit=x&offset=y')).body)).toEqual([1, 2, 3, 4, 5])
    expect(ids((await get('/limits/?limit=0&offset=-1')).body)).toEqual([1, 2, 3, 4, 5])
    expect(await get('/limits/?offset=30')).toEqual({
      status: 200,
      body: {
        count: 12,
        next: null,
        previous: `${ORIGIN}/limits/?limit=5&offset=25`,
        results: [],
      },
    })
  })
})

describe('cursor pagination', () => {
  it("walks forward and back with DRF's cursors, never counting", async () => {
    statements.length = 0
    const first = await get('/cursor/')
    expect(Object.keys(first.body)).toEqual(['next', 'previous', 'results'])
    expect(ids(first.body)).toEqual([12, 11, 10, 9, 8])
    // Base64 of `p=8`: the position the next page starts after, as DRF writes it.
    expect(first.body).toMatchObject({ next: `${ORIGIN}/cursor/?cursor=cD04`, previous: null })
    const second = await get(first.body.next.slice(ORIGIN.length))
    expect(ids(second.body)).toEqual([7, 6, 5, 4, 3])
    expect(second.body).toMatchObject({
      next: `${ORIGIN}/cursor/?cursor=cD0z`,
      previous: `${ORIGIN}/cursor/?cursor=cj0xJnA9Nw%3D%3D`, // r=1&p=7
    })
    const third = await get(second.body.next.slice(ORIGIN.length))
    expect(ids(third.body)).toEqual([2, 1])
    expect(third.body.next).toBeNull()
    const back = await get(third.body.previous.slice(ORIGIN.length))
    expect(ids(back.body)).toEqual([7, 6, 5, 4, 3])
    expect(back.body.next).toBe(`${ORIGIN}/cursor/?cursor=cD0z`)
    const start = await get(back.body.previous.slice(ORIGIN.length))
    expect(ids(start.body)).toEqual([12, 11, 10, 9, 8])
    expect(start.body.previous).toBeNull()
    expect(statements.length).toBeGreaterThan(0)
    expect(statements.filter((s) => /count\(/i.test(s))).toEqual([])
  })

  it('keeps the scope and the filters on every page', async () => {
    const bobs = await get('/cursor/', bob)
    expect(ids(bobs.body)).toEqual([15, 14, 13])
    expect(bobs.body).toMatchObject({ next: null, previous: null })
    const filtered = await get('/cursor/?priority__gte=3')
    expect(ids(filtered.body)).toEqual([12, 11, 10, 6, 5])
    expect(filtered.body.next).toBe(`${ORIGIN}/cursor/?cursor=cD01&priority__gte=3`)
    expect(ids((await get(filtered.body.next.slice(ORIGIN.length))).body)).toEqual([4, 3])
  })

  it('answers a cursor it cannot read with 404 "Invalid cursor"', async () => {
    const b64 = (text: string) => encodeURIComponent(Buffer.from(text).toString('base64'))
    for (const cursor of ['abc', '%%%', b64('p=x'), b64('o=-1'), b64('r=x'), b64('p=1%00')]) {
      expect(await get(`/cursor/?cursor=${cursor}`)).toEqual({
        status: 404,
        body: { detail: 'Invalid cursor' },
      })
    }
    // An empty cursor is the start, as DRF reads it.
    expect(ids((await get('/cursor/?cursor=')).body)).toEqual([12, 11, 10, 9, 8])
  })

  it('pages by a time on the per-request path, the order not the ids', async () => {
    statements.length = 0
    const seen: number[] = []
    let url: string | null = '/by-created/'
    let pages = 0
    while (url) {
      const page = await get(url, bob)
      seen.push(...ids(page.body))
      url = page.body.next ? page.body.next.slice(ORIGIN.length) : null
      pages++
    }
    expect(seen).toEqual([15, 14, 13])
    expect(pages).toBe(1)
    const forward: number[] = []
    let last: { next: string | null; previous: string | null; results: { id: number }[] } | null =
      null
    url = '/by-created/'
    while (url) {
      last = (await get(url)).body
      forward.push(...ids(last!))
      url = last!.next ? last!.next.slice(ORIGIN.length) : null
    }
    expect(forward).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const backward: number[] = []
    url = last!.previous!.slice(ORIGIN.length)
    while (url) {
      const page: { previous: string | null; results: { id: number }[] } = (await get(url)).body
      backward.unshift(...ids(page))
      url = page.previous ? page.previous.slice(ORIGIN.length) : null
    }
    expect(backward).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(statements.filter((s) => /count\(/i.test(s))).toEqual([])
    expect(await get('/by-created/?cursor=cD1ub3QtYS10aW1l')).toEqual({
      status: 404,
      body: { detail: 'Invalid cursor' },
    }) // p=not-a-time
  })
})

describe('cursor pagination over tied positions', () => {
  it('walks every row once forward, and back to the first page', async () => {
    type Page = { next: string | null; previous: string | null; results: { id: number }[] }
    const pages: Page[] = []
    let url: string | null = '/by-priority/'
    while (url && pages.length < 20) {
      const page: Page = (await get(url)).body
      pages.push(page)
      url = page.next ? page.next.slice(ORIGIN.length) : null
    }
    const seen = pages.flatMap(ids)
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const priorities = seen.map((id) => id % 7)
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b))
    // Back again: the same positions (rows that tie come in the database's order, as in DRF).
    const positions = (page: Page) => ids(page).map((id) => id % 7)
    const first: Page = (await get(pages[1].previous!.slice(ORIGIN.length))).body
    expect(positions(first)).toEqual(positions(pages[0]))
    const last = pages[pages.length - 1]
    const before: Page = (await get(last.previous!.slice(ORIGIN.length))).body
    expect(positions(before)).toEqual(positions(pages[pages.length - 2]))
  })
})

describe('no pagination', () => {
  it('answers every row as a bare list, with no COUNT', async () => {
    statements.length = 0
    const all = await get('/all/')
    expect(all.body.map((r: { id: number }) => r.id)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ])
    expect(statements.filter((s) => /count\(/i.test(s))).toEqual([])
  })
})

describe('OpenAPI and the browsable API', () => {
  it("documents each paginator's parameters and envelope", async () => {
    const doc = (await openapi.document()) as unknown as {
      paths: Record<string, { get: Operation }>
    }
    type Operation = {
      parameters: { name: string; schema: Record<string, unknown> }[]
      responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>
    }
    type Schema = { type?: string; properties?: Record<string, unknown> }
    const params = (path: string) => doc.paths[path].get.parameters.map((p) => p.name)
    const body = (path: string) =>
      doc.paths[path].get.responses['200'].content!['application/json'].schema
    expect(params('/defaults/')).toEqual(['page', 'page_size'])
    expect(params('/pages/')).toEqual(['page', 'size'])
    expect(params('/limits/')).toEqual(['limit', 'offset'])
    expect(params('/cursor/')).toEqual(['cursor', 'priority__gte'])
    expect(params('/all/')).toEqual([])
    expect(Object.keys(body('/limits/').properties!)).toEqual([
      'count',
      'next',
      'previous',
      'results',
    ])
    expect(Object.keys(body('/cursor/').properties!)).toEqual(['next', 'previous', 'results'])
    expect(body('/all/').type).toBe('array')
    expect(Object.keys(doc.paths['/cursor/'].get.responses)).toEqual(
      expect.arrayContaining(['400', '404']),
    )
    expect(Object.keys(doc.paths['/limits/'].get.responses)).not.toContain('404')
  })

  it('links the previous and next cursor pages on the page', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/cursor/?cursor=cD04',
      headers: { ...tokenOf(alice), accept: 'text/html' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<nav class="pagination" aria-label="Pages">')
    expect(res.body).toContain(`<a href="${ORIGIN}/cursor/?cursor=cD0z" rel="next">Next »</a>`)
    expect(res.body).toContain(`href="${ORIGIN}/cursor/?cursor=cj0xJnA9Nw%3D%3D" rel="prev"`)
  })
})
