import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../helpers/cookies.ts'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §7 (seed 003): surveys under /survey/api/, walked as the DRF anchor's OBSERVED.md §7.
let t: TestApp
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(() => t?.close())

function call(user: TestUser | null, method: string, url: string, json?: unknown) {
  return t.request({ method: method as 'GET', url: `/survey/api/${url}`, token: user?.token, json })
}

// created_at is the moment of the request: compared by shape, then masked out of the bytes.
const MOMENT = /"created_at":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3,6})?Z"/g

/** The status and the exact bytes of the body, with each created_at masked as `"<when>"`. */
function expectAnswer(res: LightMyRequestResponse, status: number, body: string) {
  const masked = res.body.replace(MOMENT, '"created_at":"<when>"')
  expect({ status: res.statusCode, body: masked }).toEqual({ status, body })
}

const published = (title = 'Published one') =>
  `{"id":1,"title":"${title}","description":"d","status":"published","creator":"alice","created_at":"<when>"}`
const draft = `{"id":2,"title":"Alice's draft","description":"","status":"draft","creator":"alice","created_at":"<when>"}`
const page = (...items: string[]) =>
  `{"count":${items.length},"next":null,"previous":null,"results":[${items.join(',')}]}`
const DENIED = '{"detail":"You do not have permission to perform this action."}'
const NOT_FOUND = '{"detail":"Not found."}'
const LOG_IN = '{"detail":"Authentication credentials were not provided."}'

describe("API.md §7 row by row, with the DRF anchor's exact bodies", () => {
  it('creates a published survey and a draft (status defaults to draft)', async () => {
    const body = { title: 'Published one', description: 'd', status: 'published' }
    expectAnswer(await call(alice, 'POST', 'surveys/', body), 201, published())
    expectAnswer(await call(alice, 'POST', 'surveys/', { title: "Alice's draft" }), 201, draft)
  })

  it('refuses an unknown status with DRF choice message', async () => {
    const res = await call(alice, 'POST', 'surveys/', { title: 'bad', status: 'archived' })
    expectAnswer(res, 400, '{"status":["\\"archived\\" is not a valid choice."]}')
  })

  it('asks an anonymous writer to log in, with the Basic challenge', async () => {
    const res = await call(null, 'POST', 'surveys/', { title: 'anon' })
    expectAnswer(res, 401, LOG_IN)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
  })

  it('lists published surveys to everyone and drafts to their creator only', async () => {
    expectAnswer(await call(null, 'GET', 'surveys/'), 200, page(published()))
    expectAnswer(await call(alice, 'GET', 'surveys/'), 200, page(published(), draft))
    expectAnswer(await call(bob, 'GET', 'surveys/'), 200, page(published()))
  })

  it('answers a draft by id to its creator alone; to others as a missing id', async () => {
    expectAnswer(await call(null, 'GET', 'surveys/1/'), 200, published())
    expectAnswer(await call(null, 'GET', 'surveys/2/'), 404, NOT_FOUND)
    expectAnswer(await call(bob, 'GET', 'surveys/2/'), 404, NOT_FOUND)
    expectAnswer(await call(alice, 'GET', 'surveys/2/'), 200, draft)
  })

  it("forbids another user's PUT, PATCH and DELETE of a published survey", async () => {
    const put = { title: "bob's now", status: 'published' }
    expectAnswer(await call(bob, 'PUT', 'surveys/1/', put), 403, DENIED)
    expectAnswer(await call(bob, 'PATCH', 'surveys/1/', { title: "bob's now" }), 403, DENIED)
    expectAnswer(await call(bob, 'DELETE', 'surveys/1/'), 403, DENIED)
    expectAnswer(await call(null, 'PATCH', 'surveys/1/', { title: "anon's now" }), 401, LOG_IN)
  })

  it('lets the creator rename, ignoring a posted creator', async () => {
    const res = await call(alice, 'PATCH', 'surveys/1/', {
      creator: 'bob',
      title: 'Published, renamed',
    })
    expectAnswer(res, 200, published('Published, renamed'))
  })

  it('searches titles', async () => {
    const res = await call(alice, 'GET', 'surveys/?search=renamed')
    expectAnswer(res, 200, page(published('Published, renamed')))
  })

  it('needs the CSRF token for a write by session, as a browser makes it', async () => {
    const jar = new CookieJar()
    const send = (options: Parameters<TestApp['request']>[0]) =>
      t
        .request({ ...options, headers: { ...options.headers, cookie: jar.header() } })
        .then((res) => {
          jar.take(res)
          return res
        })
    const form = await send({ method: 'GET', url: '/api-auth/login/' })
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const login = await send({
      method: 'POST',
      url: '/api-auth/login/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        username: 'alice',
        password: PASSWORD,
        csrfmiddlewaretoken: token,
        next: '/bucketlists/',
      }).toString(),
    })
    expect(login.statusCode).toBe(302)
    const patch = (headers: Record<string, string>) =>
      send({
        method: 'PATCH',
        url: '/survey/api/surveys/1/',
        headers,
        json: { title: 'via session' },
      })
    const refused = await patch({})
    expectAnswer(refused, 403, '{"detail":"CSRF Failed: CSRF token missing or incorrect."}')
    const accepted = await patch({ 'x-csrftoken': jar.get('csrftoken')! })
    expectAnswer(accepted, 200, published('via session'))
  })

  it('deletes for the creator; the survey is then gone', async () => {
    const res = await call(alice, 'DELETE', 'surveys/1/')
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' })
    expectAnswer(await call(alice, 'GET', 'surveys/1/'), 404, NOT_FOUND)
  })
})

describe('survey fields', () => {
  it('writes created_at as ISO 8601 UTC and keeps it on update', async () => {
    const made = await call(bob, 'POST', 'surveys/', { title: 'Timed' })
    const { id, created_at } = made.json() as { id: number; created_at: string }
    expect(new Date(created_at).toISOString()).toBe(created_at)
    const renamed = await call(bob, 'PATCH', `surveys/${id}/`, { title: 'Timed, renamed' })
    expect(renamed.json()).toMatchObject({ created_at })
  })

  it('keeps fields a PUT leaves out, as DRF does with model defaults', async () => {
    const made = await call(bob, 'POST', 'surveys/', {
      title: 'Kept',
      description: 'kept too',
      status: 'published',
    })
    const { id } = made.json() as { id: number }
    const res = await call(bob, 'PUT', `surveys/${id}/`, { title: 'Kept, renamed' })
    expect(res.json()).toMatchObject({ description: 'kept too', status: 'published' })
  })

  it('checks title length and presence with DRF messages', async () => {
    const long = await call(bob, 'POST', 'surveys/', { title: 'x'.repeat(201) })
    expectAnswer(long, 400, '{"title":["Ensure this field has no more than 200 characters."]}')
    const none = await call(bob, 'POST', 'surveys/', { description: 'no title' })
    expectAnswer(none, 400, '{"title":["This field is required."]}')
    expect((await call(bob, 'POST', 'surveys/', { title: 'x'.repeat(200) })).statusCode).toBe(201)
  })

  it('hides a survey its creator turns back into a draft', async () => {
    const made = await call(bob, 'POST', 'surveys/', { title: 'Shown', status: 'published' })
    const { id } = made.json() as { id: number }
    expect((await call(alice, 'GET', `surveys/${id}/`)).statusCode).toBe(200)
    await call(bob, 'PATCH', `surveys/${id}/`, { status: 'draft' })
    expectAnswer(await call(alice, 'GET', `surveys/${id}/`), 404, NOT_FOUND)
    expectAnswer(await call(null, 'GET', `surveys/${id}/`), 404, NOT_FOUND)
  })

  it('serves the API root with a link to the list', async () => {
    const res = await call(alice, 'GET', '')
    expect(res.json()).toEqual({ surveys: 'http://localhost/survey/api/surveys/' })
  })
})

describe('search, ordering and pagination', () => {
  let carol: TestUser
  const titles = (res: LightMyRequestResponse) =>
    (res.json() as { results: { title: string }[] }).results.map((s) => s.title)

  beforeAll(async () => {
    carol = await t.user('carol')
    const make = (title: string, description: string, status: string) =>
      call(carol, 'POST', 'surveys/', { title, description, status })
    await make('Banana poll', 'fruit', 'published')
    await make('Apple poll', 'Orchard FRUIT', 'draft')
    await make('Cherry vote', 'stones', 'published')
  })

  it('searches title and description, case-insensitively, every term in some field', async () => {
    const fruit = await call(carol, 'GET', 'surveys/?search=fruit&ordering=title')
    expect(titles(fruit)).toEqual(['Apple poll', 'Banana poll'])
    expect(titles(await call(carol, 'GET', 'surveys/?search=cherry stones'))).toEqual([
      'Cherry vote',
    ])
    expect(titles(await call(carol, 'GET', 'surveys/?search=cherry fruit'))).toEqual([])
  })

  it('does not let search reveal another user’s drafts', async () => {
    expect(titles(await call(bob, 'GET', 'surveys/?search=fruit'))).toEqual(['Banana poll'])
    expect(titles(await call(null, 'GET', 'surveys/?search=orchard'))).toEqual([])
  })

  it('orders by id, title, created_at and status, ascending or descending', async () => {
    const byTitle = await call(carol, 'GET', 'surveys/?search=fruit&ordering=-title')
    expect(titles(byTitle)).toEqual(['Banana poll', 'Apple poll'])
    const byStatus = await call(carol, 'GET', 'surveys/?search=poll&ordering=status,-id')
    expect(titles(byStatus)).toEqual(['Apple poll', 'Banana poll'])
    const byId = await call(carol, 'GET', 'surveys/?search=o&ordering=-id&page_size=3')
    expect(titles(byId)).toEqual(['Cherry vote', 'Apple poll', 'Banana poll'])
    const byCreated = await call(carol, 'GET', 'surveys/?search=o&ordering=-created_at,-id')
    expect(titles(byCreated).slice(0, 3)).toEqual(['Cherry vote', 'Apple poll', 'Banana poll'])
  })

  it('ignores unknown ordering fields (the default is by id)', async () => {
    const res = await call(carol, 'GET', 'surveys/?search=fruit&ordering=creator_id')
    expect(titles(res)).toEqual(['Banana poll', 'Apple poll'])
  })

  it('paginates: page_size, next and previous links, Invalid page', async () => {
    const first = await call(carol, 'GET', 'surveys/?search=fruit&page_size=1')
    expect(first.json()).toMatchObject({
      count: 2,
      next: 'http://localhost/survey/api/surveys/?page=2&page_size=1&search=fruit',
      previous: null,
    })
    const second = await call(carol, 'GET', 'surveys/?search=fruit&page_size=1&page=2')
    expect(second.json()).toMatchObject({ count: 2, next: null })
    expectAnswer(
      await call(carol, 'GET', 'surveys/?search=fruit&page=3'),
      404,
      '{"detail":"Invalid page."}',
    )
  })
})
