import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type RootOperationNode,
  sql,
} from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cursorPagination,
  type Database,
  type FilterFields,
  f,
  filterMethod,
  IsAuthenticated,
  type OpenApi,
  pageNumberPagination,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
  viewsetRoutes,
} from '../../src/framework/index.ts'
import {
  createNotesTable,
  listingApp,
  loggingDatabase,
  notesDb,
  tokenOf,
} from '../helpers/listing-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// django-filter's filterset_fields, declared on a viewset: each lookup over HTTP on a real
// database, its 400s in django-filter's words, always inside the scope, on the compiled path
// (`scope`) and the per-request one (`perRequestQuery`) alike.
const Schema = resourceSchema('note', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 100 }),
  status: f.choice(['draft', 'published', 'archived']),
  priority: f.integer(),
  parent_id: f.integer({ nullable: true }),
  done: f.boolean(),
  ref: f.uuid(),
  created: f.datetime({ readOnly: true }),
})

const filterFields: FilterFields = {
  status: ['exact', 'in'],
  created: ['gte', 'lte'],
  title: ['exact', 'icontains'],
  parent_id: ['exact', 'isnull'],
  priority: ['exact', 'gte', 'lte', 'in'],
  done: ['exact'],
  ref: ['exact'],
  // A column the schema does not show: its kind and column spelled out.
  owner: { column: 'listing_notes.owner_id', kind: 'text', lookups: ['exact'] },
  // A condition no lookup says (django-filter's method=): long titles; other values ignored.
  long: filterMethod({
    schema: Type.String({ description: 'yes: titles over 10 characters.' }),
    where: (query, value) =>
      value === 'yes' ? query.where(sql<boolean>`length(listing_notes.title) > 10`) : query,
  }),
}

const common = {
  table: 'listing_notes' as never,
  schema: Schema,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  actions: ['list' as const],
  query: (db: Database) =>
    notesDb(db)
      .selectFrom('listing_notes')
      .select(['id', 'title', 'status', 'priority', 'parent_id', 'done', 'ref', 'created']),
  filterFields,
  search: ['listing_notes.title'],
  ordering: {
    fields: { id: 'listing_notes.id', priority: 'listing_notes.priority' },
    default: ['listing_notes.id'],
  },
}

const scoped = viewset({
  ...common,
  basename: 'scoped',
  scope: (request) => ({ 'listing_notes.owner_id': request.user!.id }),
})
const perRequest = viewset({
  ...common,
  basename: 'per-request',
  perRequestQuery: (request, query) => query.where('listing_notes.owner_id', '=', request.user!.id),
})

/** Counts the statements Kysely compiles (a compiled plan is compiled once per shape). */
class CompileCounter implements KyselyPlugin {
  compiled = 0
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.compiled++
    return args.node
  }
  async transformResult<R>(args: { result: R }) {
    return args.result
  }
}

const ref = (n: number) => `0000000${n}-0000-4000-8000-00000000000${n}`
const counter = new CompileCounter()
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
  const note = (
    owner: TestUser,
    title: string,
    status: string,
    priority: number,
    parent_id: number | null,
    done: number,
    day: string,
  ) => ({ owner_id: owner.id, title, status, priority, parent_id, done, created: day })
  const rows = [
    note(alice, 'Alpha report', 'draft', 1, null, 0, '2024-01-01T10:00:00.000Z'),
    note(alice, 'beta Report', 'published', 3, 1, 1, '2024-01-02T10:00:00.000Z'),
    note(alice, 'Gamma', 'archived', 5, 1, 0, '2024-01-03T10:00:00.000Z'),
    note(alice, 'delta 50%_off', 'published', 7, null, 1, '2024-01-04T10:00:00.000Z'),
    note(bob, 'Bob report', 'published', 3, null, 1, '2024-01-02T12:00:00.000Z'),
    note(bob, 'bob secret', 'draft', 9, 5, 0, '2024-01-05T10:00:00.000Z'),
  ]
  for (const [i, row] of rows.entries()) {
    await notesDb(t.db)
      .insertInto('listing_notes')
      .values({ ...row, ref: ref(i + 1) } as never)
      .execute()
  }
  db = loggingDatabase(t, []).withPlugin(counter)
  const router = new Router()
    .register('scoped', scoped)
    .register('per-request', perRequest)
    .register(
      'cursor',
      viewset({
        ...common,
        ordering: undefined,
        basename: 'cursor',
        scope: (request) => ({ 'listing_notes.owner_id': request.user!.id }),
        pagination: cursorPagination({ ordering: 'created', pageSize: 2 }),
      }),
    )
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

describe.each(['scoped', 'per-request'])('field filters (%s)', (prefix) => {
  const ids = async (query: string, user = alice) => {
    const { status, body } = await get(`/${prefix}/?${query}`, user)
    expect(status).toBe(200)
    return (body.results as { id: number }[]).map((r) => r.id)
  }

  it('filters by each lookup', async () => {
    expect(await ids('status=published')).toEqual([2, 4])
    expect(await ids('status__in=draft,archived')).toEqual([1, 3])
    expect(await ids('status__in=archived,nothing')).toEqual([3])
    expect(await ids('created__gte=2024-01-02T10:00:00Z')).toEqual([2, 3, 4])
    expect(await ids('created__gte=2024-01-02&created__lte=2024-01-03T12:00%2B02:00')).toEqual([
      2, 3,
    ])
    expect(await ids('title=Gamma')).toEqual([3])
    expect(await ids('title__icontains=REPORT')).toEqual([1, 2])
    expect(await ids('title__icontains=50%25_')).toEqual([4])
    expect(await ids('title__icontains=%25')).toEqual([4])
    expect(await ids('parent_id__isnull=true')).toEqual([1, 4])
    expect(await ids('parent_id__isnull=False')).toEqual([2, 3])
    expect(await ids('parent_id=1')).toEqual([2, 3])
    expect(await ids('priority=3')).toEqual([2])
    expect(await ids('priority=3.9')).toEqual([2]) // Django truncates for an integer column
    expect(await ids('priority__gte=3&priority__lte=5')).toEqual([2, 3])
    expect(await ids('priority__in=1,5,7')).toEqual([1, 3, 4])
    expect(await ids('priority__in=1,,1')).toEqual([1])
    expect(await ids('priority__in=,')).toEqual([])
    expect(await ids('done=true')).toEqual([2, 4])
    expect(await ids('done=0')).toEqual([1, 3])
    expect(await ids(`ref=${ref(3).toUpperCase().replaceAll('-', '')}`)).toEqual([3])
    expect(await ids(`owner=${alice.id}`)).toEqual([1, 2, 3, 4])
  })

  it('applies a method filter within the scope, with the others, ignoring what it does not take', async () => {
    expect(await ids('long=yes')).toEqual([1, 2, 4])
    expect(await ids('long=yes&status=published')).toEqual([2, 4])
    // Bob's titles are short, and Alice's long ones stay outside his scope.
    expect(await ids('long=yes', bob)).toEqual([])
    expect(await ids('long=maybe')).toEqual([1, 2, 3, 4])
    expect(await ids('long=')).toEqual([1, 2, 3, 4])
  })

  it('ignores unknown parameters, empty values and booleans it cannot read', async () => {
    const all = [1, 2, 3, 4]
    expect(await ids('colour=red&status__exact=x&title__startswith=A')).toEqual(all)
    expect(await ids('status=&priority=%20&title__icontains=&priority__in=')).toEqual(all)
    expect(await ids('parent_id__isnull=maybe&done=yes')).toEqual(all)
    // A repeated parameter: the last value, as Django's QueryDict.get.
    expect(await ids('status=draft&status=archived')).toEqual([3])
  })

  it('never shows a row the scope hides', async () => {
    expect(await ids(`owner=${bob.id}`)).toEqual([])
    expect(await ids('title__icontains=bob')).toEqual([])
    expect(await ids('priority=9')).toEqual([])
    expect(await ids('parent_id=5')).toEqual([])
    const { body } = await get(`/${prefix}/?owner=${bob.id}`)
    expect(body.count).toBe(0)
    expect(await ids('status=published', bob)).toEqual([5])
  })

  it('combines with search, ordering and pages', async () => {
    expect(await ids('search=report&status__in=draft,published&ordering=-priority')).toEqual([2, 1])
    const { body } = await get(`/${prefix}/?status=published&page_size=1`)
    expect(body.count).toBe(2)
    expect(body.next).toBe(`http://localhost/${prefix}/?page=2&page_size=1&status=published`)
  })

  it("refuses a bad value with django-filter's 400, every bad parameter at once", async () => {
    const refused = async (query: string) => {
      const { status, body } = await get(`/${prefix}/?${query}`)
      expect(status).toBe(400)
      return body
    }
    expect(await refused('status=x')).toEqual({
      status: ['Select a valid choice. x is not one of the available choices.'],
    })
    expect(await refused('created__gte=nope')).toEqual({
      created__gte: ['Enter a valid date/time.'],
    })
    expect(await refused('created__lte=2024-02-30')).toEqual({
      created__lte: ['Enter a valid date/time.'],
    })
    expect(await refused('priority=abc')).toEqual({ priority: ['Enter a number.'] })
    expect(await refused('priority__in=1,x')).toEqual({ priority__in: ['Enter a number.'] })
    expect(await refused('priority=1e400')).toEqual({
      priority: ['Ensure this value is less than or equal to 1e+50.'],
    })
    expect(await refused('ref=nope')).toEqual({ ref: ['Enter a valid UUID.'] })
    expect(await refused('title__icontains=a%00')).toEqual({
      title__icontains: ['Null characters are not allowed.'],
    })
    const many = Array.from({ length: 101 }, (_, i) => i).join(',')
    expect(await refused(`priority__in=${many}`)).toEqual({
      priority__in: ['Ensure this value has at most 100 values.'],
    })
    expect(await refused('priority=x&created__gte=y&title=fine&page=99')).toEqual({
      created__gte: ['Enter a valid date/time.'],
      priority: ['Enter a number.'],
    })
  })

  it('takes numbers that are no integer column value without a server error', async () => {
    expect(await ids('priority=99999999999999999999999')).toEqual([])
    expect(await ids('priority__gte=-99999999999999999999999')).toEqual([1, 2, 3, 4])
  })
})

describe('compiled once', () => {
  it('binds new values into the statements compiled for a shape', async () => {
    await get('/scoped/?status=draft&priority__in=1,2,3')
    const before = counter.compiled
    await get('/scoped/?status=published&priority__in=4,5,6')
    await get('/scoped/?status=archived&priority__in=7,8,9,10', bob)
    expect(counter.compiled).toBe(before)
  })
})

describe('with cursor pages', () => {
  it('filters every page of the cursor', async () => {
    const first = await get('/cursor/?status__in=published,archived')
    expect(first.body.results.map((r: { id: number }) => r.id)).toEqual([2, 3])
    const next = await get(first.body.next.slice('http://localhost'.length))
    expect(next.body.results.map((r: { id: number }) => r.id)).toEqual([4])
  })
})

describe('OpenAPI', () => {
  it('documents each filter with its type, and the 400', async () => {
    const doc = (await openapi.document()) as unknown as {
      paths: Record<string, { get: Operation }>
    }
    type Operation = {
      parameters: { name: string; description?: string; schema: Record<string, unknown> }[]
      responses: Record<string, unknown>
    }
    const params = Object.fromEntries(
      doc.paths['/scoped/'].get.parameters.map((p) => [p.name, p.schema]),
    )
    expect(params).toMatchObject({
      status: { type: 'string', enum: ['draft', 'published', 'archived'] },
      status__in: { type: 'string' },
      created__gte: { type: 'string', format: 'date-time' },
      created__lte: { type: 'string', format: 'date-time' },
      title: { type: 'string' },
      title__icontains: { type: 'string' },
      parent_id: { type: 'number' },
      parent_id__isnull: { type: 'boolean' },
      priority__gte: { type: 'number' },
      done: { type: 'boolean' },
      ref: { type: 'string', format: 'uuid' },
      owner: { type: 'string' },
      long: { type: 'string' },
    })
    const described = doc.paths['/scoped/'].get.parameters.find((p) => p.name === 'priority__in')
    expect(described?.description).toBe('priority is one of (comma-separated).')
    expect(doc.paths['/scoped/'].get.responses).toHaveProperty('400')
  })
})

describe('mistakes in a declaration fail at start', () => {
  const routes = (extra: Record<string, unknown>) => () =>
    viewsetRoutes('x', viewset({ ...common, basename: 'x', ...extra }))
  const code = (fn: () => unknown) => {
    try {
      fn()
    } catch (err) {
      return (err as { code?: string; message: string }).code
    }
    return 'no error'
  }

  it('names the code of each', () => {
    expect(code(routes({ filterFields: { colour: ['exact'] } }))).toBe('ERR_FILTER_FIELD')
    expect(code(routes({ filterFields: { done: ['gte'] } }))).toBe('ERR_FILTER_LOOKUP')
    expect(code(routes({ filterFields: { title: ['startswith'] } }))).toBe('ERR_FILTER_LOOKUP')
    expect(code(routes({ filterFields: { page: { kind: 'integer', lookups: ['exact'] } } }))).toBe(
      'ERR_FILTER_PARAM',
    )
    expect(code(routes({ pagination: cursorPagination({ ordering: '-created' }) }))).toBe(
      'ERR_CURSOR_ORDERING',
    )
    expect(
      code(
        routes({ ordering: undefined, pagination: cursorPagination({ ordering: 'parent_id' }) }),
      ),
    ).toBe('ERR_CURSOR_FIELD')
    expect(
      code(routes({ ordering: undefined, pagination: cursorPagination({ ordering: 'owner' }) })),
    ).toBe('ERR_CURSOR_FIELD')
    expect(code(routes({ pagination: pageNumberPagination({ pageSize: 0 }) }))).toBe(
      'ERR_PAGINATION_SIZE',
    )
    expect(
      code(routes({ pagination: pageNumberPagination({ pageSize: 50, maxPageSize: 10 }) })),
    ).toBe('ERR_PAGINATION_SIZE')
  })
})
