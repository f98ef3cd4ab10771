import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §7's authorization rules as ONE table: endpoint × method × actor → status. Every cell
// runs on fresh surveys of its own (one published, one draft, both the creator's).

type Actor = 'anonymous' | 'creator' | 'other'
type Endpoint = 'list' | 'published' | 'draft'
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Status per actor, in the order anonymous, creator, other. */
type Row = [Endpoint, Method, [number, number, number]]

const ACTORS: Actor[] = ['anonymous', 'creator', 'other']

// Anonymous writes ask for credentials first (401: IsAuthenticatedOrReadOnly, anchor item 15);
// a draft is invisible to all but its creator (404); a visible survey is the creator's to change.
const MATRIX: Row[] = [
  ['list', 'GET', [200, 200, 200]],
  ['list', 'POST', [401, 201, 201]],
  ['list', 'PUT', [401, 405, 405]],
  ['list', 'PATCH', [401, 405, 405]],
  ['list', 'DELETE', [401, 405, 405]],
  ['published', 'GET', [200, 200, 200]],
  ['published', 'POST', [401, 405, 405]],
  ['published', 'PUT', [401, 200, 403]],
  ['published', 'PATCH', [401, 200, 403]],
  ['published', 'DELETE', [401, 204, 403]],
  ['draft', 'GET', [404, 200, 404]],
  ['draft', 'POST', [401, 405, 405]],
  ['draft', 'PUT', [401, 200, 404]],
  ['draft', 'PATCH', [401, 200, 404]],
  ['draft', 'DELETE', [401, 204, 404]],
]

/** Which of a cell's two surveys each actor finds in the list. */
const LIST_SEES: Record<Actor, Endpoint[]> = {
  anonymous: ['published'],
  creator: ['published', 'draft'],
  other: ['published'],
}

const DETAIL: Record<number, string> = {
  401: 'Authentication credentials were not provided.',
  403: 'You do not have permission to perform this action.',
  404: 'Not found.',
}

let t: TestApp
const users: Partial<Record<Actor, TestUser>> = {}

beforeAll(async () => {
  t = await createTestApp()
  users.creator = await t.user('creator')
  users.other = await t.user('other')
})
afterAll(() => t?.close())

/** A fresh published survey and draft of the creator's, straight into the table. */
async function freshSurveys(): Promise<Record<'published' | 'draft', number>> {
  const ids = { published: 0, draft: 0 }
  for (const status of ['published', 'draft'] as const) {
    const row = await t.db
      .insertInto('surveys')
      .values({
        title: `${status} survey`,
        description: '',
        status,
        creator_id: users.creator!.id,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[status] = row.id
  }
  return ids
}

const BODY: Partial<Record<Method, unknown>> = {
  POST: { title: 'posted', status: 'published' },
  PUT: { title: 'put', status: 'published' },
  PATCH: { title: 'patched' },
}

const cells = MATRIX.flatMap(([endpoint, method, statuses]) =>
  ACTORS.map((actor, i) => ({ endpoint, method, actor, status: statuses[i] })),
)

describe('the survey authorization matrix', () => {
  it.each(cells)('$method $endpoint as $actor → $status', async (cell) => {
    const ids = await freshSurveys()
    const path = cell.endpoint === 'list' ? '' : `${ids[cell.endpoint as 'published' | 'draft']}/`
    // Newest first, so the cell's own two surveys head the list whatever earlier cells made.
    const query = cell.endpoint === 'list' && cell.method === 'GET' ? '?ordering=-id' : ''
    const res = await t.request({
      method: cell.method,
      url: `/survey/api/surveys/${path}${query}`,
      token: users[cell.actor]?.token,
      json: BODY[cell.method],
    })
    expect(res.statusCode).toBe(cell.status)
    if (DETAIL[cell.status]) expect(res.json()).toEqual({ detail: DETAIL[cell.status] })
    if (cell.status === 405) {
      expect(res.json()).toEqual({ detail: `Method "${cell.method}" not allowed.` })
    }
    if (cell.status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="api"')

    if (cell.endpoint === 'list' && cell.method === 'GET') {
      const shown = new Set((res.json() as { results: { id: number }[] }).results.map((s) => s.id))
      const seen = (['published', 'draft'] as const).filter((e) => shown.has(ids[e]))
      expect(seen).toEqual(LIST_SEES[cell.actor])
    }
    // An accepted write did what it says; a refused one left the survey exactly as it was.
    if (cell.method === 'PUT' || cell.method === 'PATCH') {
      if (cell.status === 200) expect(res.json()).toMatchObject(BODY[cell.method] as object)
    }
    if (cell.method === 'DELETE' && cell.status === 204) {
      const id = ids[cell.endpoint as 'published' | 'draft']
      const gone = await t.request({
        method: 'GET',
        url: `/survey/api/surveys/${id}/`,
        token: users.creator!.token,
      })
      expect(gone.statusCode).toBe(404)
    }
    // A refused write leaves the survey exactly as it was.
    if (cell.endpoint !== 'list' && cell.method !== 'GET' && cell.status >= 400) {
      const id = ids[cell.endpoint as 'published' | 'draft']
      const row = await t.db
        .selectFrom('surveys')
        .select(['title', 'status'])
        .where('id', '=', id)
        .executeTakeFirst()
      expect(row).toEqual({ title: `${cell.endpoint} survey`, status: cell.endpoint })
    }
  })

  it('covers every endpoint, method and actor exactly once', () => {
    const keys = cells.map((c) => `${c.endpoint} ${c.method} ${c.actor}`)
    expect(new Set(keys).size).toBe(3 * 5 * 3)
    expect(keys).toHaveLength(3 * 5 * 3)
  })
})
