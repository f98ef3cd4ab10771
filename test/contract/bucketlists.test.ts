import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §4 (seed 000), walked over HTTP as a DRF client would.
let t: TestApp
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(() => t?.close())

async function create(user: TestUser, name: string) {
  const res = await t.request({
    method: 'POST',
    url: '/bucketlists/',
    token: user.token,
    json: { name },
  })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: number; name: string; owner: string }
}

describe('authentication on /bucketlists/', () => {
  it('asks for Basic credentials when none are sent', async () => {
    const res = await t.request({ method: 'GET', url: '/bucketlists/' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it("refuses an unknown token with the first scheme's challenge", async () => {
    const res = await t.request({ method: 'GET', url: '/bucketlists/', token: 'f'.repeat(40) })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
    expect(res.json()).toEqual({ detail: 'Invalid token.' })
  })

  it.each([
    ['Token', 'Invalid token header. No credentials provided.'],
    ['Token a b', 'Invalid token header. Token string should not contain spaces.'],
    ['Basic', 'Invalid basic header. No credentials provided.'],
    // Base64 as Python reads it: characters outside the alphabet are skipped (nothing left, or
    // "alice:x" around a "!", is a login that fails); a group left incomplete is not base64.
    ['Basic !!!', 'Invalid username/password.'],
    ['Basic YWxp!Y2U6eA==', 'Invalid username/password.'],
    ['Basic YWxpY2U6eA===', 'Invalid username/password.'],
    ['Basic abc', 'Invalid basic header. Credentials not correctly base64 encoded.'],
    ['Basic YWxpY2U6eA', 'Invalid basic header. Credentials not correctly base64 encoded.'],
    ['Basic YWxpY2U6eA=', 'Invalid basic header. Credentials not correctly base64 encoded.'],
    ['Basic YWxpY2U-eA__', 'Invalid basic header. Credentials not correctly base64 encoded.'],
    // A header reaches us byte for byte (as latin1): UTF-8 bytes are a key that matches nothing,
    // other bytes are DRF's "invalid characters".
    ['Token \u00c3\u00a9', 'Invalid token.'],
    ['Token \u00e9', 'Invalid token header. Token string should not contain invalid characters.'],
  ])('answers a malformed "%s" header with DRF\'s message', async (header, detail) => {
    const res = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      headers: { authorization: header },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail })
  })

  it('refuses a Basic login holding U+0000 as an unknown one (no query PostgreSQL refuses)', async () => {
    for (const login of ['alice\u0000', `${alice.email}\u0000`, '\u0000']) {
      const res = await t.request({ method: 'GET', url: '/bucketlists/', basic: [login, 'x'] })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({ detail: 'Invalid username/password.' })
    }
  })

  it('accepts Basic with the username or the email, and refuses a wrong password', async () => {
    const byName = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      basic: ['alice', alice.password],
    })
    expect(byName.statusCode).toBe(200)
    const byEmail = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      basic: [alice.email, alice.password],
    })
    expect(byEmail.statusCode).toBe(200)
    const wrong = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      basic: ['alice', 'wrong'],
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toEqual({ detail: 'Invalid username/password.' })
  })

  it('refuses an inactive user: Basic as a bad password, Token as inactive', async () => {
    const sleepy = await t.user('sleepy', { is_active: false })
    const basic = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      basic: ['sleepy', sleepy.password],
    })
    expect(basic.statusCode).toBe(401)
    expect(basic.json()).toEqual({ detail: 'Invalid username/password.' })
    const token = await t.request({ method: 'GET', url: '/bucketlists/', token: sleepy.token })
    expect(token.statusCode).toBe(401)
    expect(token.json()).toEqual({ detail: 'User inactive or deleted.' })
  })
})

describe('owner CRUD', () => {
  it('creates with the requester as owner, ignoring a posted owner', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      basic: ['alice', alice.password],
      json: { name: 'Go to Ibiza', owner: 'bob' },
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(Object.keys(body)).toEqual(['id', 'name', 'owner', 'date_created', 'date_modified'])
    expect(body).toMatchObject({ name: 'Go to Ibiza', owner: 'alice' })
    expect(typeof body.id).toBe('number')
    expect(new Date(body.date_created).toISOString()).toBe(body.date_created)
  })

  it('reads, updates, patches and deletes its own bucketlist', async () => {
    const { id } = await create(alice, 'Climb Kilimanjaro')
    const url = `/bucketlists/${id}/`
    const got = await t.request({ method: 'GET', url, token: alice.token })
    expect(got.statusCode).toBe(200)
    expect(got.json()).toMatchObject({ id, name: 'Climb Kilimanjaro', owner: 'alice' })

    const put = await t.request({
      method: 'PUT',
      url,
      token: alice.token,
      json: { name: 'Something new' },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ id, name: 'Something new', owner: 'alice' })
    expect(put.json().date_modified >= got.json().date_modified).toBe(true)

    const patch = await t.request({
      method: 'PATCH',
      url,
      token: alice.token,
      json: { name: 'Something newer' },
    })
    expect(patch.statusCode).toBe(200)
    expect(patch.json().name).toBe('Something newer')

    const emptyPatch = await t.request({ method: 'PATCH', url, token: alice.token, json: {} })
    expect(emptyPatch.statusCode).toBe(200)
    expect(emptyPatch.json().name).toBe('Something newer')

    const del = await t.request({ method: 'DELETE', url, token: alice.token })
    expect(del.statusCode).toBe(204)
    expect(del.body).toBe('')
    const gone = await t.request({ method: 'GET', url, token: alice.token })
    expect(gone.statusCode).toBe(404)
    expect(gone.json()).toEqual({ detail: 'Not found.' })
  })

  it('requires a name on PUT but not on PATCH', async () => {
    const { id } = await create(alice, 'put needs a name')
    const put = await t.request({
      method: 'PUT',
      url: `/bucketlists/${id}/`,
      token: alice.token,
      json: {},
    })
    expect(put.statusCode).toBe(400)
    expect(put.json()).toEqual({ name: ['This field is required.'] })
  })

  it('forbids another user every action on a bucketlist, and changes nothing', async () => {
    const { id } = await create(alice, 'Alice only')
    const url = `/bucketlists/${id}/`
    const forbidden = { detail: 'You do not have permission to perform this action.' }
    for (const [method, json] of [
      ['GET'],
      ['PUT', { name: 'mine now' }],
      ['PATCH', { name: 'mine now' }],
      ['DELETE'],
    ] as const) {
      const res = await t.request({ method, url, token: bob.token, json })
      expect(res.statusCode, method).toBe(403)
      expect(res.json()).toEqual(forbidden)
    }
    const still = await t.request({ method: 'GET', url, token: alice.token })
    expect(still.json().name).toBe('Alice only')
  })

  it("lists only the requester's bucketlists", async () => {
    await create(bob, 'Bob was here')
    const res = await t.request({ method: 'GET', url: '/bucketlists/', token: alice.token })
    expect(res.statusCode).toBe(200)
    const names = (res.json().results as { owner: string }[]).map((b) => b.owner)
    expect(names.length).toBeGreaterThan(0)
    expect(new Set(names)).toEqual(new Set(['alice']))
    const search = await t.request({
      method: 'GET',
      url: '/bucketlists/?search=Bob',
      token: alice.token,
    })
    expect(search.json().count).toBe(0)
  })

  it('answers 404 for a missing or malformed id', async () => {
    for (const id of ['999999', 'abc', '-1', '1.5']) {
      const res = await t.request({ method: 'GET', url: `/bucketlists/${id}/`, token: alice.token })
      expect(res.statusCode, id).toBe(404)
      expect(res.json()).toEqual({ detail: 'Not found.' })
    }
  })
})

describe('validation', () => {
  it('refuses a duplicate name, a missing, blank or over-long name', async () => {
    await create(alice, 'Unique dream')
    const cases: [unknown, unknown][] = [
      [{ name: 'Unique dream' }, { name: ['bucketlist with this name already exists.'] }],
      [{}, { name: ['This field is required.'] }],
      [{ name: '   ' }, { name: ['This field may not be blank.'] }],
      [{ name: 'x'.repeat(256) }, { name: ['Ensure this field has no more than 255 characters.'] }],
      [{ name: null }, { name: ['This field may not be null.'] }],
      [[1, 2], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
    ]
    for (const [json, errors] of cases) {
      const res = await t.request({ method: 'POST', url: '/bucketlists/', token: bob.token, json })
      expect(res.statusCode, JSON.stringify(json)).toBe(400)
      expect(res.json()).toEqual(errors)
    }
  })

  it('refuses null and lone surrogate characters with every message, as DRF, and stores nothing', async () => {
    const cases: [string, string[]][] = [
      ['a\u0000b', ['Null characters are not allowed.']],
      ['a\ud800b', ['Surrogate characters are not allowed: U+D800.']],
      ['x\udfffy\ud800', ['Surrogate characters are not allowed: U+DFFF.']],
      [
        `${'x'.repeat(300)}\u0000`,
        ['Ensure this field has no more than 255 characters.', 'Null characters are not allowed.'],
      ],
    ]
    const before = (
      await t.request({ method: 'GET', url: '/bucketlists/', token: alice.token })
    ).json()
    for (const [name, messages] of cases) {
      // JSON.stringify would keep the lone surrogate as an escape, as a client's encoder does.
      const res = await t.request({
        method: 'POST',
        url: '/bucketlists/',
        token: alice.token,
        payload: JSON.stringify({ name }),
        headers: { 'content-type': 'application/json' },
      })
      expect(res.statusCode, JSON.stringify(name)).toBe(400)
      expect(res.json()).toEqual({ name: messages })
    }
    const after = (
      await t.request({ method: 'GET', url: '/bucketlists/', token: alice.token })
    ).json()
    expect(after.count).toBe(before.count)
    // A pair of surrogates is one character (an emoji): accepted and kept as sent.
    const emoji = await create(alice, 'Ibiza \u{1F600}')
    expect(emoji.name).toBe('Ibiza \u{1F600}')
  })

  it('answers a JSON null body "No data provided", on create and on a partial update alike', async () => {
    const mine = await create(alice, 'Null in Ibiza')
    for (const [method, url] of [
      ['POST', '/bucketlists/'],
      ['PATCH', `/bucketlists/${mine.id}/`],
      ['PUT', `/bucketlists/${mine.id}/`],
    ] as const) {
      const res = await t.request({
        method,
        url,
        token: alice.token,
        payload: 'null',
        headers: { 'content-type': 'application/json' },
      })
      expect(res.statusCode, method).toBe(400)
      expect(res.json()).toEqual({ non_field_errors: ['No data provided'] })
    }
    // An empty body is no body: `{}`, as before.
    const empty = await t.request({
      method: 'PATCH',
      url: `/bucketlists/${mine.id}/`,
      token: alice.token,
      payload: '',
      headers: { 'content-type': 'application/json' },
    })
    expect(empty.statusCode).toBe(200)
  })

  it('refuses a duplicate name by another user as well (names are unique across users)', async () => {
    await create(alice, 'Shared dream')
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: bob.token,
      json: { name: 'Shared dream' },
    })
    expect(res.statusCode).toBe(400)
  })

  it('answers malformed JSON with 400 and an unsupported media type with 415', async () => {
    const bad = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: alice.token,
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().detail).toMatch(/^JSON parse error - /)
    const text = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: alice.token,
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    })
    expect(text.statusCode).toBe(415)
    expect(text.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.' })
  })

  it('checks credentials before reading the body', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    })
    expect(res.statusCode).toBe(401)
  })

  it('accepts a form post', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      token: alice.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=From+a+form',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().name).toBe('From a form')
  })

  it('gives one 201 and 400s, never a 500, to 10 concurrent creates of one name', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/bucketlists/',
          token: i % 2 ? alice.token : bob.token,
          json: { name: 'Race' },
        }),
      ),
    )
    const statuses = results.map((r) => r.statusCode).sort()
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400, 400, 400, 400, 400])
    for (const r of results.filter((r) => r.statusCode === 400)) {
      expect(r.json()).toEqual({ name: ['bucketlist with this name already exists.'] })
    }
  })
})

describe('methods and paths', () => {
  it("answers 405 with DRF's message for a method the path does not take", async () => {
    const res = await t.request({
      method: 'PATCH',
      url: '/bucketlists/',
      token: alice.token,
      json: { name: 'x' },
    })
    expect(res.statusCode).toBe(405)
    expect(res.json()).toEqual({ detail: 'Method "PATCH" not allowed.' })
    const users = await t.request({
      method: 'DELETE',
      url: `/users/${alice.id}/`,
      token: alice.token,
    })
    expect(users.statusCode).toBe(405)
    expect(users.json()).toEqual({ detail: 'Method "DELETE" not allowed.' })
  })

  it('authenticates before answering 405', async () => {
    const res = await t.request({ method: 'PATCH', url: '/bucketlists/' })
    expect(res.statusCode).toBe(401)
  })

  it('redirects a path without its trailing slash, and 404s unknown paths in JSON', async () => {
    const res = await t.request({ method: 'GET', url: '/bucketlists?page=1', token: alice.token })
    expect(res.statusCode).toBe(301)
    expect(res.headers.location).toBe('/bucketlists/?page=1')
    const unknown = await t.request({ method: 'GET', url: '/no/such/path/' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({ detail: 'Not found.' })
  })

  it('answers 406 to an Accept header it cannot satisfy', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/bucketlists/',
      token: alice.token,
      headers: { accept: 'application/xml' },
    })
    expect(res.statusCode).toBe(406)
    expect(res.json()).toEqual({ detail: 'Could not satisfy the request Accept header.' })
  })
})

describe('pagination, ordering, search', () => {
  let carol: TestUser
  beforeAll(async () => {
    carol = await t.user('carol')
    for (let i = 0; i < 25; i++) await create(carol, `pg-${String(i).padStart(2, '0')}`)
  })

  it('pages 20 at a time with absolute next/previous links', async () => {
    const first = await t.request({ method: 'GET', url: '/bucketlists/', token: carol.token })
    const page1 = first.json()
    expect(page1.count).toBe(25)
    expect(page1.results).toHaveLength(20)
    expect(page1.previous).toBeNull()
    expect(page1.next).toBe('http://localhost/bucketlists/?page=2')
    const second = await t.request({
      method: 'GET',
      url: '/bucketlists/?page=2',
      token: carol.token,
    })
    const page2 = second.json()
    expect(page2.results).toHaveLength(5)
    expect(page2.next).toBeNull()
    expect(page2.previous).toBe('http://localhost/bucketlists/')
    expect(page2.results[0].name).toBe('pg-20')
  })

  it('answers "Invalid page." past the end, however far, or for a non-number', async () => {
    // Far past the end is 404 before any row is read (its offset would not bind: it was a 500).
    for (const page of ['3', 'abc', '0', '-0', '2.0', '1__0', '9007199254740993', '9'.repeat(20)]) {
      const res = await t.request({
        method: 'GET',
        url: `/bucketlists/?page=${page}`,
        token: carol.token,
      })
      expect(res.statusCode, page).toBe(404)
      expect(res.json()).toEqual({ detail: 'Invalid page.' })
    }
  })

  it('reads ?page=last as the last page, as DRF; an empty list has a first page', async () => {
    const last = await t.request({
      method: 'GET',
      url: '/bucketlists/?page=last',
      token: carol.token,
    })
    expect(last.statusCode).toBe(200)
    const body = last.json()
    expect(body.count).toBe(25)
    expect(body.results.map((r: { name: string }) => r.name)).toEqual(
      ['20', '21', '22', '23', '24'].map((n) => `pg-${n}`),
    )
    expect(body.next).toBeNull()
    expect(body.previous).toBe('http://localhost/bucketlists/')
    const bySix = await t.request({
      method: 'GET',
      url: '/bucketlists/?page=last&page_size=6',
      token: carol.token,
    })
    expect(bySix.json().results.map((r: { name: string }) => r.name)).toEqual(['pg-24'])
    expect(bySix.json().previous).toBe('http://localhost/bucketlists/?page=4&page_size=6')
    const nobody = await t.user('nobody-lists')
    const empty = await t.request({
      method: 'GET',
      url: '/bucketlists/?page=last',
      token: nobody.token,
    })
    expect(empty.statusCode).toBe(200)
    expect(empty.json()).toEqual({ count: 0, next: null, previous: null, results: [] })
  })

  it('reads page numbers as Python does: a sign, spaces, underscores', async () => {
    const resultCount = async (query: string) => {
      const res = await t.request({
        method: 'GET',
        url: `/bucketlists/?${query}`,
        token: carol.token,
      })
      return res.statusCode === 200 ? res.json().results.length : res.statusCode
    }
    expect(await resultCount('page=%2B2')).toBe(5)
    expect(await resultCount('page=%202%20')).toBe(5)
    expect(await resultCount('page=1_0&page_size=2')).toBe(2)
    expect(await resultCount('page_size=%2B5')).toBe(5)
    expect(await resultCount('page_size=1_0')).toBe(10)
  })

  it('honours page_size up to 100', async () => {
    const five = (
      await t.request({ method: 'GET', url: '/bucketlists/?page_size=5', token: carol.token })
    ).json()
    expect(five.results).toHaveLength(5)
    expect(five.next).toBe('http://localhost/bucketlists/?page=2&page_size=5')
    const many = (
      await t.request({ method: 'GET', url: '/bucketlists/?page_size=1000', token: carol.token })
    ).json()
    expect(many.results).toHaveLength(25)
    expect(many.next).toBeNull()
  })

  it('orders by -date_created and searches names', async () => {
    const ordered = (
      await t.request({
        method: 'GET',
        url: '/bucketlists/?ordering=-date_created,-id&page_size=3',
        token: carol.token,
      })
    ).json()
    expect(ordered.results.map((b: { name: string }) => b.name)).toEqual([
      'pg-24',
      'pg-23',
      'pg-22',
    ])
    const byName = (
      await t.request({
        method: 'GET',
        url: '/bucketlists/?ordering=-name&page_size=1',
        token: carol.token,
      })
    ).json()
    expect(byName.results[0].name).toBe('pg-24')
    const ignored = (
      await t.request({
        method: 'GET',
        url: '/bucketlists/?ordering=password&page_size=1',
        token: carol.token,
      })
    ).json()
    expect(ignored.results[0].name).toBe('pg-00')
    const search = (
      await t.request({ method: 'GET', url: '/bucketlists/?search=PG-1', token: carol.token })
    ).json()
    expect(search.count).toBe(10)
    const wildcard = (
      await t.request({ method: 'GET', url: '/bucketlists/?search=%25', token: carol.token })
    ).json()
    expect(wildcard.count).toBe(0)
  })
})

describe('/users/', () => {
  it('lists users with their bucketlist ids, and shows one', async () => {
    const dave = await t.user('dave')
    const mine = await create(dave, 'Dave 1')
    const list = await t.request({ method: 'GET', url: '/users/?page_size=100', token: dave.token })
    expect(list.statusCode).toBe(200)
    const row = list.json().results.find((u: { username: string }) => u.username === 'dave')
    expect(row).toEqual({ id: dave.id, username: 'dave', bucketlists: [mine.id] })
    const one = await t.request({ method: 'GET', url: `/users/${dave.id}/`, token: alice.token })
    expect(one.statusCode).toBe(200)
    expect(one.json()).toEqual({ id: dave.id, username: 'dave', bucketlists: [mine.id] })
    const missing = await t.request({
      method: 'GET',
      url: '/users/not-a-uuid/',
      token: alice.token,
    })
    expect(missing.statusCode).toBe(404)
  })

  it('needs credentials', async () => {
    const res = await t.request({ method: 'GET', url: '/users/' })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })
})

describe('/health', () => {
  it('reports the database (and Redis, when used)', async () => {
    const res = await t.request({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    const redis = process.env.REDIS_URL ? { redis: 'ok' } : {}
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', ...redis })
  })
})
