import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// API.md §5 (seed 001): friends, belongings and borrowings under /api/v1/, walked over HTTP.
let t: TestApp
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(() => t?.close())

const DAY_MS = 24 * 60 * 60 * 1000

/** A moment `days` ago, to the second, as ISO text without a zone ("2026-11-01T23:44:53"). */
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 19)

function call(user: TestUser | null, method: string, url: string, json?: unknown) {
  return t.request({
    method: method as 'GET',
    url: `/api/v1/${url}`,
    token: user?.token,
    json,
  })
}

/** The status and the exact bytes of the body, as the DRF anchor's OBSERVED.md records them. */
function expectAnswer(res: LightMyRequestResponse, status: number, body: string) {
  expect({ status: res.statusCode, body: res.body }).toEqual({ status, body })
}

describe("API.md §5 row by row, with the DRF anchor's exact bodies", () => {
  // A loan 20 days old with microseconds, as the anchor records one (`when` is writable).
  const oldLoan = daysAgo(20)

  it('asks for credentials with the Basic challenge', async () => {
    const res = await call(null, 'GET', 'friends/')
    expectAnswer(res, 401, '{"detail":"Authentication credentials were not provided."}')
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
  })

  it('creates friends and belongings for the requester, ignoring a posted owner', async () => {
    const frank = await call(alice, 'POST', 'friends/', { name: 'Frank', owner: bob.id })
    expectAnswer(frank, 201, '{"id":1,"name":"Frank"}')
    expectAnswer(
      await call(alice, 'POST', 'friends/', { name: 'Grace' }),
      201,
      '{"id":2,"name":"Grace"}',
    )
    expectAnswer(
      await call(alice, 'POST', 'belongings/', { name: 'Drill' }),
      201,
      '{"id":1,"name":"Drill"}',
    )
    expectAnswer(
      await call(alice, 'POST', 'belongings/', { name: 'Tent' }),
      201,
      '{"id":2,"name":"Tent"}',
    )
    expectAnswer(
      await call(bob, 'POST', 'friends/', { name: "Bob's friend" }),
      201,
      `{"id":3,"name":"Bob's friend"}`,
    )
    expectAnswer(
      await call(bob, 'POST', 'belongings/', { name: "Bob's ladder" }),
      201,
      `{"id":3,"name":"Bob's ladder"}`,
    )
  })

  it('records a loan with its own `when`, to the microsecond', async () => {
    const res = await call(alice, 'POST', 'borrowings/', {
      what: 1,
      to_who: 1,
      when: `${oldLoan}.318601+00:00`,
    })
    expectAnswer(
      res,
      201,
      `{"id":1,"what":1,"to_who":1,"when":"${oldLoan}.318601Z","returned":null}`,
    )
  })

  it('dates a loan now when no `when` is given', async () => {
    const before = Date.now()
    const res = await call(alice, 'POST', 'borrowings/', { what: 2, to_who: 2 })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toEqual({ id: 2, what: 2, to_who: 2, when: body.when, returned: null })
    expect(Object.keys(body)).toEqual(['id', 'what', 'to_who', 'when', 'returned'])
    expect(body.when).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,6}Z$/)
    expect(Date.parse(body.when)).toBeGreaterThanOrEqual(before - 1)
    expect(Date.parse(body.when)).toBeLessThanOrEqual(Date.now())
  })

  it("refuses another user's belonging or friend as if it did not exist", async () => {
    expectAnswer(
      await call(alice, 'POST', 'borrowings/', { what: 3, to_who: 1 }),
      400,
      '{"what":["Invalid pk \\"3\\" - object does not exist."]}',
    )
    expectAnswer(
      await call(alice, 'POST', 'borrowings/', { what: 1, to_who: 3 }),
      400,
      '{"to_who":["Invalid pk \\"3\\" - object does not exist."]}',
    )
    expectAnswer(
      await call(alice, 'POST', 'borrowings/', { what: 999999, to_who: 1 }),
      400,
      '{"what":["Invalid pk \\"999999\\" - object does not exist."]}',
    )
    expectAnswer(
      await call(alice, 'POST', 'borrowings/', { what: 'abc', to_who: 1 }),
      400,
      '{"what":["Incorrect type. Expected pk value, received str."]}',
    )
  })

  it("lists each user's own friends only", async () => {
    expectAnswer(
      await call(alice, 'GET', 'friends/'),
      200,
      '{"count":2,"next":null,"previous":null,"results":[{"id":1,"name":"Frank"},{"id":2,"name":"Grace"}]}',
    )
    expectAnswer(
      await call(bob, 'GET', 'friends/'),
      200,
      `{"count":1,"next":null,"previous":null,"results":[{"id":3,"name":"Bob's friend"}]}`,
    )
  })

  it('filters friends by ?has_overdue=true and false', async () => {
    expectAnswer(
      await call(alice, 'GET', 'friends/?has_overdue=true'),
      200,
      '{"count":1,"next":null,"previous":null,"results":[{"id":1,"name":"Frank"}]}',
    )
    expectAnswer(
      await call(alice, 'GET', 'friends/?has_overdue=false'),
      200,
      '{"count":1,"next":null,"previous":null,"results":[{"id":2,"name":"Grace"}]}',
    )
  })

  it("lists the requester's loans", async () => {
    const res = await call(alice, 'GET', 'borrowings/')
    const recent = res.json().results[1].when
    expectAnswer(
      res,
      200,
      `{"count":2,"next":null,"previous":null,"results":[{"id":1,"what":1,"to_who":1,"when":"${oldLoan}.318601Z","returned":null},{"id":2,"what":2,"to_who":2,"when":"${recent}","returned":null}]}`,
    )
  })

  it("answers 403 Not an owner. on another user's detail URLs", async () => {
    const notOwner = '{"detail":"Not an owner."}'
    expectAnswer(await call(bob, 'GET', 'friends/1/'), 403, notOwner)
    expectAnswer(await call(bob, 'PATCH', 'friends/1/', { name: 'hijack' }), 403, notOwner)
    expectAnswer(await call(bob, 'DELETE', 'belongings/1/'), 403, notOwner)
    expectAnswer(await call(bob, 'GET', 'borrowings/1/'), 403, notOwner)
  })

  it('marks a loan returned, which ends the overdue', async () => {
    const returned = new Date().toISOString().slice(0, 19)
    expectAnswer(
      await call(alice, 'PATCH', 'borrowings/1/', { returned: `${returned}.481739+00:00` }),
      200,
      `{"id":1,"what":1,"to_who":1,"when":"${oldLoan}.318601Z","returned":"${returned}.481739Z"}`,
    )
    expectAnswer(
      await call(alice, 'GET', 'friends/?has_overdue=true'),
      200,
      '{"count":0,"next":null,"previous":null,"results":[]}',
    )
  })

  it('updates, misses and deletes a friend', async () => {
    expectAnswer(
      await call(alice, 'PUT', 'friends/2/', { name: 'Grace H.' }),
      200,
      '{"id":2,"name":"Grace H."}',
    )
    expectAnswer(await call(alice, 'GET', 'friends/999999/'), 404, '{"detail":"Not found."}')
    const gone = await call(alice, 'DELETE', 'friends/2/')
    expectAnswer(gone, 204, '')
  })

  it('links every list from the router root, for authenticated users', async () => {
    expect((await call(null, 'GET', '')).statusCode).toBe(401)
    expectAnswer(
      await call(alice, 'GET', ''),
      200,
      '{"friends":"http://localhost/api/v1/friends/","belongings":"http://localhost/api/v1/belongings/","borrowings":"http://localhost/api/v1/borrowings/"}',
    )
  })
})

/** Make a friend, a belonging and a loan between them for `user`; returns their ids. */
async function lendingOf(user: TestUser, label: string, when?: string) {
  const friend = (await call(user, 'POST', 'friends/', { name: `${label} friend` })).json().id
  const thing = (await call(user, 'POST', 'belongings/', { name: `${label} thing` })).json().id
  const loan = await call(user, 'POST', 'borrowings/', { what: thing, to_who: friend, when })
  expect(loan.statusCode).toBe(201)
  return { friend: friend as number, thing: thing as number, loan: loan.json().id as number }
}

describe("a user cannot reach another user's friends, belongings or loans", () => {
  let carol: TestUser
  let dave: TestUser
  let carols: Awaited<ReturnType<typeof lendingOf>>
  let daves: Awaited<ReturnType<typeof lendingOf>>

  beforeAll(async () => {
    carol = await t.user('carol')
    dave = await t.user('dave')
    carols = await lendingOf(carol, 'Carol', `${daysAgo(30)}Z`)
    daves = await lendingOf(dave, 'Dave', `${daysAgo(30)}Z`)
  })

  it('by id: every method on every detail URL is 403 with no body of the object', async () => {
    const urls = [
      [`friends/${carols.friend}/`, { name: 'mine now' }],
      [`belongings/${carols.thing}/`, { name: 'mine now' }],
      [`borrowings/${carols.loan}/`, { what: daves.thing, to_who: daves.friend }],
    ] as const
    for (const [url, json] of urls) {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const res = await call(dave, method, url, method.startsWith('P') ? json : undefined)
        expect(res.statusCode, `${method} ${url}`).toBe(403)
        expect(res.body).toBe('{"detail":"Not an owner."}')
      }
      expect((await call(carol, 'GET', url)).statusCode).toBe(200)
    }
    expect((await call(carol, 'GET', `friends/${carols.friend}/`)).json().name).toBe('Carol friend')
    expect((await call(carol, 'GET', `borrowings/${carols.loan}/`)).json()).toMatchObject({
      what: carols.thing,
      to_who: carols.friend,
    })
  })

  it('by foreign key: a loan naming their belonging or friend reads as a missing id', async () => {
    for (const [field, theirs, mine] of [
      ['what', carols.thing, { to_who: daves.friend }],
      ['to_who', carols.friend, { what: daves.thing }],
    ] as const) {
      const res = await call(dave, 'POST', 'borrowings/', { ...mine, [field]: theirs })
      expectAnswer(res, 400, `{"${field}":["Invalid pk \\"${theirs}\\" - object does not exist."]}`)
    }
  })

  it('by foreign key: PATCH and PUT of an own loan to their friend or belonging are refused', async () => {
    const url = `borrowings/${daves.loan}/`
    const attempts = [
      ['PATCH', { to_who: carols.friend }, 'to_who', carols.friend],
      ['PATCH', { what: carols.thing }, 'what', carols.thing],
      ['PUT', { what: daves.thing, to_who: carols.friend }, 'to_who', carols.friend],
    ] as const
    for (const [method, json, field, id] of attempts) {
      expectAnswer(
        await call(dave, method, url, json),
        400,
        `{"${field}":["Invalid pk \\"${id}\\" - object does not exist."]}`,
      )
    }
    expect((await call(dave, 'GET', url)).json()).toMatchObject({
      what: daves.thing,
      to_who: daves.friend,
    })
  })

  it("by error message: their id's answer is byte for byte a deleted id's", async () => {
    const eve = await t.user('eve')
    const eves = await lendingOf(eve, 'Eve')
    const ask = () => call(dave, 'POST', 'borrowings/', { what: eves.thing, to_who: daves.friend })
    const whileTheirs = await ask()
    expect((await call(eve, 'DELETE', `belongings/${eves.thing}/`)).statusCode).toBe(204)
    const onceMissing = await ask()
    expect(whileTheirs.statusCode).toBe(400)
    expect(onceMissing.statusCode).toBe(400)
    expect(whileTheirs.body).toBe(onceMissing.body)
    expect(whileTheirs.headers['content-length']).toBe(onceMissing.headers['content-length'])
  })

  it('by filter: ?has_overdue, ?search and ?ordering show and count only their own rows', async () => {
    const names = async (url: string) => {
      const body = (await call(dave, 'GET', url)).json()
      expect(body.count, url).toBe(body.results.length)
      return body.results.map((row: { name?: string; id: number }) => row.name ?? row.id)
    }
    expect(await names('friends/?has_overdue=true')).toEqual(['Dave friend'])
    expect(await names('friends/?has_overdue=false')).toEqual([])
    expect(await names('friends/?search=Carol')).toEqual([])
    expect(await names('friends/?search=friend')).toEqual(['Dave friend'])
    expect(await names('belongings/?search=thing&ordering=-name')).toEqual(['Dave thing'])
    expect(await names('friends/?ordering=-id&has_overdue=yes')).toEqual(['Dave friend'])
    expect(await names('borrowings/?ordering=-when')).toEqual([daves.loan])
    expect(await names('borrowings/?ordering=returned')).toEqual([daves.loan])
  })
})

describe('lending filters and ordering', () => {
  let frida: TestUser
  beforeAll(async () => {
    frida = await t.user('frida')
    await lendingOf(frida, 'Old', `${daysAgo(15)}Z`)
    await lendingOf(frida, 'Recent', `${daysAgo(13)}Z`)
    const returned = await lendingOf(frida, 'Returned', `${daysAgo(40)}Z`)
    await call(frida, 'PATCH', `borrowings/${returned.loan}/`, { returned: `${daysAgo(1)}Z` })
    await call(frida, 'POST', 'friends/', { name: 'Idle friend' })
  })
  const names = async (url: string) =>
    (await call(frida, 'GET', url)).json().results.map((row: { name: string }) => row.name)

  it('counts a loan overdue after 14 days, until it is returned', async () => {
    expect(await names('friends/?has_overdue=true')).toEqual(['Old friend'])
    expect(await names('friends/?has_overdue=FALSE')).toEqual([
      'Recent friend',
      'Returned friend',
      'Idle friend',
    ])
  })

  it('reads a repeated parameter as its last value, never failing', async () => {
    expect(await names('friends/?has_overdue=false&has_overdue=true')).toEqual(['Old friend'])
    expect(await names('friends/?ordering=id&ordering=-name&search=x&search=friend')).toEqual([
      'Returned friend',
      'Recent friend',
      'Old friend',
      'Idle friend',
    ])
  })

  it('ignores other values of ?has_overdue', async () => {
    for (const value of ['maybe', '', '2']) {
      expect(await names(`friends/?has_overdue=${value}`), value).toHaveLength(4)
    }
  })

  it('orders by the offered fields only, by id otherwise', async () => {
    expect(await names('friends/?ordering=name')).toEqual([
      'Idle friend',
      'Old friend',
      'Recent friend',
      'Returned friend',
    ])
    expect(await names('friends/?ordering=owner_id')).toEqual(await names('friends/?ordering=id'))
    const loans = (await call(frida, 'GET', 'borrowings/?ordering=when')).json().results
    expect(loans.map((l: { when: string }) => l.when)).toEqual(
      loans.map((l: { when: string }) => l.when).sort(),
    )
  })
})

describe('lending validation', () => {
  let gus: TestUser
  let own: Awaited<ReturnType<typeof lendingOf>>
  beforeAll(async () => {
    gus = await t.user('gus')
    own = await lendingOf(gus, 'Gus')
  })
  const lend = (json: unknown) => call(gus, 'POST', 'borrowings/', json)

  it('answers a key of the wrong type or value with DRF messages', async () => {
    const cases: [unknown, string][] = [
      [true, 'Incorrect type. Expected pk value, received bool.'],
      [[own.thing], 'Incorrect type. Expected pk value, received list.'],
      [{ id: own.thing }, 'Incorrect type. Expected pk value, received dict.'],
      [1.5, 'Incorrect type. Expected pk value, received float.'],
      ['1e3', 'Incorrect type. Expected pk value, received str.'],
      [null, 'This field may not be null.'],
      [99999999999, 'Invalid pk "99999999999" - object does not exist.'],
      [-1, 'Invalid pk "-1" - object does not exist.'],
    ]
    for (const [what, message] of cases) {
      const res = await lend({ what, to_who: own.friend })
      expect(res.statusCode, JSON.stringify(what)).toBe(400)
      expect(res.json()).toEqual({ what: [message] })
    }
    expect((await lend({})).json()).toEqual({
      what: ['This field is required.'],
      to_who: ['This field is required.'],
    })
  })

  it("ignores a posted id, owner or owner_id: the row is the requester's", async () => {
    const hal = await t.user('hal')
    const json = { name: 'Planted', id: 4242, owner: hal.id, owner_id: hal.id }
    const res = await call(gus, 'POST', 'friends/', json)
    expect(res.statusCode).toBe(201)
    expect(res.json().id).not.toBe(4242)
    expect((await call(hal, 'GET', 'friends/')).json().count).toBe(0)
    expect((await call(gus, 'GET', `friends/${res.json().id}/`)).json().name).toBe('Planted')
  })

  it('takes keys as numeric strings (form posts)', async () => {
    const json = await lend({ what: String(own.thing), to_who: ` ${own.friend} ` })
    expect(json.statusCode).toBe(201)
    expect(json.json()).toMatchObject({ what: own.thing, to_who: own.friend })
    const form = await t.request({
      method: 'POST',
      url: '/api/v1/borrowings/',
      token: gus.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `what=${own.thing}&to_who=${own.friend}`,
    })
    expect(form.statusCode).toBe(201)
  })

  it('checks names and dates', async () => {
    expect((await call(gus, 'POST', 'friends/', { name: 'x'.repeat(101) })).json()).toEqual({
      name: ['Ensure this field has no more than 100 characters.'],
    })
    expect((await call(gus, 'POST', 'belongings/', {})).json()).toEqual({
      name: ['This field is required.'],
    })
    const res = await lend({ what: own.thing, to_who: own.friend, when: 'yesterday' })
    expect(res.json()).toEqual({
      when: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    })
  })

  it('keeps `when` and `returned` through a PUT that leaves them out, and clears `returned` with null', async () => {
    const url = `borrowings/${own.loan}/`
    await call(gus, 'PATCH', url, { returned: '2026-01-02T03:04:05.000006Z' })
    const before = (await call(gus, 'GET', url)).json()
    const put = await call(gus, 'PUT', url, { what: own.thing, to_who: own.friend })
    expect(put.json()).toEqual(before)
    expect(before.returned).toBe('2026-01-02T03:04:05.000006Z')
    const cleared = await call(gus, 'PATCH', url, { returned: null })
    expect(cleared.json().returned).toBeNull()
  })

  it('answers 404 for a missing or malformed id, however large', async () => {
    for (const id of ['999999', '99999999999', '999999999999999', 'abc']) {
      const res = await call(gus, 'GET', `borrowings/${id}/`)
      expect(res.statusCode, id).toBe(404)
      expect(res.body).toBe('{"detail":"Not found."}')
    }
  })

  it('deletes loans with their belonging or friend', async () => {
    const gone = await lendingOf(gus, 'Gone')
    expect((await call(gus, 'DELETE', `friends/${gone.friend}/`)).statusCode).toBe(204)
    expect((await call(gus, 'GET', `borrowings/${gone.loan}/`)).statusCode).toBe(404)
  })
})
