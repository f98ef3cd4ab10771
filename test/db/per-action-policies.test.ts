import {
  AnonRateThrottle,
  action,
  BasicScheme,
  IsAdminUser,
  IsAuthenticatedOrReadOnly,
  ScopedRateThrottle,
  SetupError,
  TokenScheme,
  UserRateThrottle,
  viewset,
} from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MemoApp, type MemoUser, memoApp, memoBasics } from '../helpers/memo-app.ts'

// Anyone reads, a user writes, only staff replaces, deletes or pins; creates are limited by a
// scope of their own; a partial update takes Basic instead of Token.
const memos = viewset({
  ...memoBasics,
  authentication: [TokenScheme],
  permissions: [IsAuthenticatedOrReadOnly],
  policies: {
    create: { throttles: [ScopedRateThrottle('memos.create')] },
    update: { permissions: [IsAdminUser] },
    partial_update: { authentication: [BasicScheme] },
    destroy: { permissions: [IsAdminUser] },
    pin: { permissions: [IsAdminUser] },
  },
  extraActions: {
    pin: action({ detail: true, methods: ['POST'], handler: () => ({ pinned: true }) }),
  },
})

const NOW = Date.parse('2027-01-01T00:00:00Z')
let m: MemoApp
let alice: MemoUser
let bob: MemoUser
let staff: MemoUser
let memo: number

beforeAll(async () => {
  m = await memoApp(memos, { throttleRates: { 'memos.create': '10/min' }, now: () => NOW })
  alice = await m.user('alice')
  bob = await m.user('bob')
  staff = await m.user('sam', { is_staff: true })
  const created = await m.request({
    method: 'POST',
    url: '/memos/',
    token: bob.token,
    json: { title: 'first' },
  })
  expect(created.statusCode).toBe(201)
  memo = created.json().id
})
afterAll(() => m?.close())

describe('per-action permissions', () => {
  it('lets anyone list and retrieve, as the viewset says', async () => {
    expect((await m.request({ method: 'GET', url: '/memos/' })).statusCode).toBe(200)
    expect((await m.request({ method: 'GET', url: `/memos/${memo}/` })).statusCode).toBe(200)
  })

  it('lets only staff destroy', async () => {
    const refused = await m.request({
      method: 'DELETE',
      url: `/memos/${memo}/`,
      token: alice.token,
    })
    expect({ status: refused.statusCode, body: refused.json() }).toEqual({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    })
    const anonymous = await m.request({ method: 'DELETE', url: `/memos/${memo}/` })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.headers['www-authenticate']).toBe('Token')
    const mine = await m.request({ method: 'POST', url: '/memos/', token: staff.token, json: {} })
    expect(mine.statusCode).toBe(400)
    const doomed = await m.request({
      method: 'POST',
      url: '/memos/',
      token: staff.token,
      json: { title: 'doomed' },
    })
    const gone = await m.request({
      method: 'DELETE',
      url: `/memos/${doomed.json().id}/`,
      token: staff.token,
    })
    expect(gone.statusCode).toBe(204)
  })

  it("gives an extra action the viewset's policy for its name", async () => {
    const url = `/memos/${memo}/pin/`
    expect((await m.request({ method: 'POST', url, token: alice.token })).statusCode).toBe(403)
    const pinned = await m.request({ method: 'POST', url, token: staff.token })
    expect({ status: pinned.statusCode, body: pinned.json() }).toEqual({
      status: 200,
      body: { pinned: true },
    })
  })

  it("lists in OPTIONS only the actions this user's policies allow", async () => {
    const actionsOf = async (url: string, user?: MemoUser) =>
      Object.keys(
        (await m.request({ method: 'OPTIONS', url, token: user?.token })).json().actions ?? {},
      )
    expect(await actionsOf('/memos/')).toEqual([])
    expect(await actionsOf('/memos/', alice)).toEqual(['POST'])
    expect(await actionsOf(`/memos/${memo}/`, alice)).toEqual([])
    expect(await actionsOf(`/memos/${memo}/`, staff)).toEqual(['PUT'])
  })

  it("offers the browsable page's forms by the policy of each method", async () => {
    const page = async (user: MemoUser) =>
      (
        await m.request({
          method: 'GET',
          url: `/memos/${memo}/`,
          token: user.token,
          headers: { accept: 'text/html' },
        })
      ).body
    const buttons = (body: string) =>
      ['PUT', 'PATCH', 'DELETE'].filter((method) => body.includes(`value="${method}"`))
    expect(buttons(await page(alice))).toEqual(['PATCH'])
    expect(buttons(await page(staff))).toEqual(['PUT', 'PATCH', 'DELETE'])
  })

  it("checks a 405 by the viewset's policy, not by one of its actions'", async () => {
    const anonymous = await m.request({ method: 'DELETE', url: '/memos/' })
    expect(anonymous.statusCode).toBe(401)
    const refused = await m.request({ method: 'DELETE', url: '/memos/', token: alice.token })
    expect({ status: refused.statusCode, allow: refused.headers.allow }).toEqual({
      status: 405,
      allow: 'GET, POST, HEAD, OPTIONS',
    })
  })
})

describe('per-action schemes', () => {
  it('authenticates a partial update by Basic alone, and every other action by Token', async () => {
    const url = `/memos/${memo}/`
    const byToken = await m.request({
      method: 'PATCH',
      url,
      token: bob.token,
      json: { title: 'x' },
    })
    expect(byToken.statusCode).toBe(401)
    expect(byToken.headers['www-authenticate']).toBe('Basic realm="api"')
    const byBasic = await m.request({
      method: 'PATCH',
      url,
      basic: bob,
      json: { title: 'patched' },
    })
    expect({ status: byBasic.statusCode, title: byBasic.json().title }).toEqual({
      status: 200,
      title: 'patched',
    })
    // Basic is not a scheme of create: the request is anonymous there.
    const create = await m.request({
      method: 'POST',
      url: '/memos/',
      basic: bob,
      json: { title: 'y' },
    })
    expect(create.statusCode).toBe(401)
    expect(create.headers['www-authenticate']).toBe('Token')
  })
})

describe('a scoped throttle on one action', () => {
  it('refuses the 11th create in a minute with 429 while lists go on', async () => {
    const create = (user: MemoUser) =>
      m.request({ method: 'POST', url: '/memos/', token: user.token, json: { title: 'note' } })
    // Alice has created nothing yet; the clock stands still, so all eleven fall in one minute.
    for (let i = 0; i < 10; i++) expect((await create(alice)).statusCode).toBe(201)
    const eleventh = await create(alice)
    expect(eleventh.statusCode).toBe(429)
    expect(eleventh.headers['retry-after']).toBe('60')
    expect(eleventh.json()).toEqual({
      detail: 'Request was throttled. Expected available in 60 seconds.',
    })
    const list = await m.request({ method: 'GET', url: '/memos/', token: alice.token })
    expect(list.statusCode).toBe(200)
    // Counted per user: another user still creates.
    expect((await create(staff)).statusCode).toBe(201)
  })
})

describe('start errors', () => {
  it('refuses to start when a scoped throttle has no rate, naming the setting', async () => {
    const err = await memoApp(memos, { throttleRates: { 'memo.create': '10/min' } }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(SetupError)
    expect((err as SetupError).code).toBe('ERR_THROTTLE_RATE')
    expect((err as SetupError).message).toContain('"memos.create"')
    expect((err as SetupError).message).toContain('`throttleRates`')
  })

  it('starts with AnonRateThrottle and UserRateThrottle and no rate for them: unlimited', async () => {
    const open = await memoApp(
      viewset({
        ...memoBasics,
        authentication: [TokenScheme],
        throttles: [AnonRateThrottle, UserRateThrottle],
      }),
    )
    try {
      const user = await open.user('carol')
      for (let i = 0; i < 3; i++) {
        const res = await open.request({ method: 'GET', url: '/memos/', token: user.token })
        expect(res.statusCode).toBe(200)
      }
    } finally {
      await open.close()
    }
  })

  it('refuses a policy for an action the viewset does not serve', async () => {
    const misspelt = viewset({
      ...memoBasics,
      actions: ['list', 'retrieve'],
      policies: { destroy: { permissions: [IsAdminUser] } },
    })
    const err = await memoApp(misspelt).catch((e: unknown) => e)
    expect((err as SetupError).code).toBe('ERR_VIEWSET_POLICY')
    expect((err as SetupError).message).toContain('list, retrieve')
  })
})
