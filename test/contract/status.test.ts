import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestUser } from '../helpers/test-app.ts'
import { createTestApp, type TestApp } from '../helpers/test-app.ts'

// API.md §6 statuses, against the DRF anchor's answers (OBSERVED.md "Profiles, avatar, statuses").
let t: TestApp
let alice: TestUser
let bob: TestUser
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' }

interface Status {
  id: number
  user_profile: string
  status_content: string
  created_at: string
  updated_at: string
}

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(() => t?.close())

async function post(user: TestUser, json: unknown) {
  return t.request({ method: 'POST', url: '/api/status/', token: user.token, json })
}

async function list(user: TestUser, query = '') {
  const res = await t.request({ method: 'GET', url: `/api/status/${query}`, token: user.token })
  expect(res.statusCode).toBe(200)
  return res.json() as { count: number; next: string | null; results: Status[] }
}

describe('the anchor walk', () => {
  let first: Status
  let second: Status

  it('posts with the requester as author, ignoring a posted one', async () => {
    const res = await post(alice, { status_content: 'Hello from alice', user_profile: 'bob' })
    expect(res.statusCode).toBe(201)
    first = res.json()
    expect(Object.keys(first)).toEqual([
      'id',
      'user_profile',
      'status_content',
      'created_at',
      'updated_at',
    ])
    expect(first).toMatchObject({
      id: 1,
      user_profile: 'alice',
      status_content: 'Hello from alice',
    })
    expect(new Date(first.created_at).getTime()).not.toBeNaN()
    const other = await post(bob, { status_content: 'Hello from bob' })
    expect(other.statusCode).toBe(201)
    second = other.json()
    expect(second).toMatchObject({ id: first.id + 1, user_profile: 'bob' })
  })

  it('refuses content over 240 characters, and none', async () => {
    const long = await post(alice, { status_content: 'x'.repeat(241) })
    expect(long.statusCode).toBe(400)
    expect(long.json()).toEqual({
      status_content: ['Ensure this field has no more than 240 characters.'],
    })
    const none = await post(alice, {})
    expect(none.statusCode).toBe(400)
    expect(none.json()).toEqual({ status_content: ['This field is required.'] })
  })

  it('lists everyone’s, newest first, paginated', async () => {
    expect(await list(alice)).toEqual({
      count: 2,
      next: null,
      previous: null,
      results: [second, first],
    })
  })

  it('filters by ?username=', async () => {
    expect(await list(alice, '?username=alice')).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [first],
    })
    expect((await list(alice, '?username=nobody')).count).toBe(0)
    // U+0000 names no one (PostgreSQL refused the query: a 500); the detail is out of that scope.
    expect((await list(alice, '?username=ali%00ce')).count).toBe(0)
    const detail = await t.request({
      method: 'GET',
      url: `/api/status/${first.id}/?username=%00`,
      token: alice.token,
    })
    expect(detail.statusCode).toBe(404)
  })

  it('shows one status to another user', async () => {
    const res = await t.request({
      method: 'GET',
      url: `/api/status/${first.id}/`,
      token: bob.token,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(first)
  })

  it('forbids another user to change or delete it, and changes nothing', async () => {
    const url = `/api/status/${first.id}/`
    for (const [method, json] of [
      ['PUT', { status_content: 'bob was here' }],
      ['PATCH', { status_content: 'bob was here' }],
      ['DELETE'],
    ] as const) {
      const res = await t.request({ method, url, token: bob.token, json })
      expect(res.statusCode, method).toBe(403)
      expect(res.json()).toEqual(FORBIDDEN)
    }
    const still = await t.request({ method: 'GET', url, token: alice.token })
    expect(still.json()).toEqual(first)
  })

  it('lets the author edit, keeping created_at, then delete', async () => {
    const url = `/api/status/${first.id}/`
    const patch = await t.request({
      method: 'PATCH',
      url,
      token: alice.token,
      json: { status_content: 'edited' },
    })
    expect(patch.statusCode).toBe(200)
    const edited = patch.json() as Status
    expect(edited).toMatchObject({
      id: first.id,
      user_profile: 'alice',
      status_content: 'edited',
      created_at: first.created_at,
    })
    expect(edited.updated_at >= first.updated_at).toBe(true)
    const put = await t.request({
      method: 'PUT',
      url,
      token: alice.token,
      json: { status_content: 'put' },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json().status_content).toBe('put')
    const del = await t.request({ method: 'DELETE', url, token: alice.token })
    expect(del.statusCode).toBe(204)
    const gone = await t.request({ method: 'GET', url, token: alice.token })
    expect(gone.statusCode).toBe(404)
    expect(gone.json()).toEqual({ detail: 'Not found.' })
  })

  it('needs credentials for every method', async () => {
    for (const [method, url] of [
      ['GET', '/api/status/'],
      ['POST', '/api/status/'],
      ['GET', `/api/status/${second.id}/`],
      ['DELETE', `/api/status/${second.id}/`],
    ] as const) {
      const res = await t.request({ method, url, json: { status_content: 'anon' } })
      expect(res.statusCode, `${method} ${url}`).toBe(401)
      expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    }
  })
})

describe('pagination and ownership', () => {
  it('pages 20 at a time, newest first', async () => {
    const carol = await t.user('carol')
    for (let i = 0; i < 25; i++) await post(carol, { status_content: `carol ${i}` })
    const page1 = await list(carol, '?username=carol')
    expect(page1.count).toBe(25)
    expect(page1.results).toHaveLength(20)
    expect(page1.results[0].status_content).toBe('carol 24')
    expect(page1.next).toBe('http://localhost/api/status/?page=2&username=carol')
    const page2 = await list(carol, '?username=carol&page=2')
    expect(page2.results.map((s) => s.status_content)).toEqual([
      'carol 4',
      'carol 3',
      'carol 2',
      'carol 1',
      'carol 0',
    ])
  })

  it('goes with its author: deleting the user deletes the profile and its statuses', async () => {
    const erin = await t.user('erin')
    await post(erin, { status_content: 'soon gone' })
    expect((await list(alice, '?username=erin')).count).toBe(1)
    await t.db.deleteFrom('users').where('id', '=', erin.id).execute()
    expect((await list(alice, '?username=erin')).count).toBe(0)
    const profile = await t.db
      .selectFrom('profiles')
      .select('id')
      .where('user_id', '=', erin.id)
      .executeTakeFirst()
    expect(profile).toBeUndefined()
  })
})
