import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cursorPagination,
  f,
  IsAdminUser,
  IsAuthenticated,
  IsOwner,
  objectViewset,
  Router,
  resourceSchema,
  SetupError,
  TokenScheme,
} from '../../src/framework/index.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// An object viewset over a store of the test's own (a Map, as a cache or an external API would
// be): the framework pages what it lists, loads and checks what a URL names, and answers 404.
interface Note {
  id: string
  owner_id: string
  text: string
  rank: number
}
const notes = new Map<string, Note>()
let removals = 0

const NoteSchema = resourceSchema('note', {
  id: f.string({ readOnly: true }),
  text: f.string({ readOnly: true }),
  rank: f.integer({ readOnly: true }),
})

const common = {
  schema: NoteSchema,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  lookupField: 'id' as const,
}

// Your own notes; any note by id, which IsOwner refuses with 403 when it is another's.
const own = objectViewset({
  ...common,
  basename: 'note',
  permissions: [IsAuthenticated, IsOwner],
  list: (request) => [...notes.values()].filter((n) => n.owner_id === request.user!.id),
  get: (_request, id) => notes.get(String(id)),
  destroy(_request, note) {
    removals++
    return notes.delete(note.id)
  },
  policies: { destroy: { permissions: [IsAdminUser] } },
  docs: { list: { summary: 'Your notes' } },
})

// Every note, a cursor's pages by rank, and the detail found in the list (no `get`).
const ranked = objectViewset({
  ...common,
  basename: 'ranked',
  list: () => [...notes.values()],
  pagination: cursorPagination({ ordering: '-rank', pageSize: 2 }),
})

let t: TestApp
let app: FastifyInstance
let alice: TestUser
let bob: TestUser
let admin: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  admin = await t.user('admin', { is_staff: true })
  for (let i = 1; i <= 5; i++) {
    notes.set(`a${i}`, { id: `a${i}`, owner_id: alice.id, text: `alice ${i}`, rank: i })
  }
  notes.set('b1', { id: 'b1', owner_id: bob.id, text: 'bob 1', rank: 10 })
  const router = new Router().register('notes', own).register('ranked', ranked)
  app = await routerApp(t, router)
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const get = (url: string, who?: TestUser, method: 'GET' | 'DELETE' | 'OPTIONS' = 'GET') =>
  app.inject({
    method,
    url,
    headers: who ? { authorization: `Token ${who.token}` } : {},
  })

describe('list', () => {
  it("pages what the hook lists in DRF's envelope", async () => {
    const first = await get('/notes/?page_size=2', alice)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({
      count: 5,
      next: 'http://localhost/notes/?page=2&page_size=2',
      previous: null,
      results: [
        { id: 'a1', text: 'alice 1', rank: 1 },
        { id: 'a2', text: 'alice 2', rank: 2 },
      ],
    })
    const last = await get('/notes/?page=last&page_size=2', alice)
    expect(last.json().results).toEqual([{ id: 'a5', text: 'alice 5', rank: 5 }])
    expect((await get('/notes/', bob)).json().results.map((n: Note) => n.id)).toEqual(['b1'])
  })

  it('answers a page past the last, and anonymous requests, as a table viewset does', async () => {
    const past = await get('/notes/?page=9', alice)
    expect(past.statusCode).toBe(404)
    expect(past.json()).toEqual({ detail: 'Invalid page.' })
    const anonymous = await get('/notes/')
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.headers['www-authenticate']).toBe('Token')
  })

  it("orders a cursor's pages by the objects' fields", async () => {
    const first = await get('/ranked/', alice)
    expect(first.json().results.map((n: Note) => n.rank)).toEqual([10, 5])
    const second = await app.inject({
      url: first.json().next,
      headers: { authorization: `Token ${alice.token}` },
    })
    expect(second.json().results.map((n: Note) => n.rank)).toEqual([4, 3])
    expect(second.json().previous).not.toBeNull()
    const bad = await get('/ranked/?cursor=nonsense', alice)
    expect(bad.statusCode).toBe(404)
    expect(bad.json()).toEqual({ detail: 'Invalid cursor' })
  })

  it("says what the docs say of the action: OPTIONS' description", async () => {
    const res = await get('/notes/', alice, 'OPTIONS')
    expect(res.json()).toMatchObject({ name: 'Note List', description: 'Your notes' })
  })
})

describe('retrieve and destroy', () => {
  it('loads the object the URL names, then runs the object permissions', async () => {
    const mine = await get('/notes/a1/', alice)
    expect(mine.statusCode).toBe(200)
    expect(mine.json()).toEqual({ id: 'a1', text: 'alice 1', rank: 1 })
    const theirs = await get('/notes/b1/', alice)
    expect(theirs.statusCode).toBe(403)
    expect(theirs.json()).toEqual({
      detail: 'You do not have permission to perform this action.',
    })
  })

  it('answers an unknown key, or one the store cannot hold, with 404', async () => {
    for (const url of ['/notes/zz/', '/notes/a%00b/', '/ranked/zz/']) {
      const res = await get(url, alice)
      expect(res.statusCode, url).toBe(404)
      expect(res.json()).toEqual({ detail: 'Not found.' })
    }
    expect((await get('/ranked/b1/', alice)).json().text).toBe('bob 1')
  })

  it("applies the action's own policy, and removes only after every check", async () => {
    const before = removals
    const refused = await get('/notes/a1/', alice, 'DELETE')
    expect(refused.statusCode).toBe(403)
    expect(removals).toBe(before)
    // Staff pass the destroy policy, but IsOwner is the viewset's: not on the action's list.
    const gone = await get('/notes/a1/', admin, 'DELETE')
    expect(gone.statusCode).toBe(204)
    expect(gone.body).toBe('')
    expect(notes.has('a1')).toBe(false)
    expect((await get('/notes/a1/', admin, 'DELETE')).statusCode).toBe(404)
  })

  it('answers 405 for a method no action has', async () => {
    const res = await get('/ranked/b1/', alice, 'DELETE')
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS')
  })
})

describe('setup', () => {
  it('refuses an action without its hook, at start', () => {
    const broken = objectViewset({ ...common, basename: 'broken', actions: ['destroy'] })
    const router = new Router().register('broken', broken)
    expect(() => router.mount({ route() {} } as never)).toThrow(SetupError)
    expect(() => router.mount({ route() {} } as never)).toThrow(/^ERR_OBJECT_VIEWSET_HOOK:/)
  })
})
