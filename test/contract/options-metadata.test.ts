import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// OPTIONS as DRF's SimpleMetadata answers it: besides the view's name, what it renders and
// parses, `actions` lists the fields of POST and PUT, for the methods this user may use there.
let t: TestApp
let alice: TestUser
let bob: TestUser
let aliceList: number

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  const created = await t.request({
    method: 'POST',
    url: '/bucketlists/',
    token: alice.token,
    json: { name: 'Alice in Ibiza' },
  })
  aliceList = created.json().id
})
afterAll(() => t?.close())

const options = async (url: string, user?: TestUser) => {
  const answer = await t.request({ method: 'OPTIONS', url, token: user?.token })
  expect(answer.statusCode, url).toBe(200)
  return answer.json()
}

// The DRF anchor's fields for a bucketlist (shared/anchors/drf), but for `owner`: DRF's
// ReadOnlyField is typed "field"; ours is a read-only string with a description.
const BUCKETLIST_FIELDS = {
  id: { type: 'integer', required: false, read_only: true, label: 'ID' },
  name: { type: 'string', required: true, read_only: false, label: 'Name', max_length: 255 },
  owner: {
    type: 'string',
    required: false,
    read_only: true,
    label: 'Owner',
    help_text: "The owner's username.",
  },
  date_created: { type: 'datetime', required: false, read_only: true, label: 'Date created' },
  date_modified: { type: 'datetime', required: false, read_only: true, label: 'Date modified' },
}

describe('OPTIONS actions', () => {
  it("lists a list's POST fields in the schema's order, read-only ones included", async () => {
    const body = await options('/bucketlists/', alice)
    expect(body.actions).toEqual({ POST: BUCKETLIST_FIELDS })
    expect(Object.keys(body.actions.POST)).toEqual(Object.keys(BUCKETLIST_FIELDS))
  })

  it("lists PUT on the owner's own object only: another's (403) and a missing one (404) get none", async () => {
    expect((await options(`/bucketlists/${aliceList}/`, alice)).actions).toEqual({
      PUT: BUCKETLIST_FIELDS,
    })
    const asBob = await options(`/bucketlists/${aliceList}/`, bob)
    expect(asBob).not.toHaveProperty('actions')
    expect(asBob.name).toBe('Bucketlist Instance')
    expect(await options('/bucketlists/999999/', alice)).not.toHaveProperty('actions')
    expect(await options('/bucketlists/not-a-number/', alice)).not.toHaveProperty('actions')
  })

  it('asks the permissions as if the request were a POST: none for an anonymous reader', async () => {
    // IsAuthenticatedOrReadOnly: OPTIONS itself is safe, a POST is not.
    expect(await options('/survey/api/surveys/')).not.toHaveProperty('actions')
    const fields = (await options('/survey/api/surveys/', alice)).actions.POST
    expect(fields.status).toEqual({
      type: 'choice',
      required: false,
      read_only: false,
      label: 'Status',
      choices: [
        { value: 'draft', display_name: 'Draft' },
        { value: 'published', display_name: 'Published' },
      ],
    })
    expect(fields.description).toEqual({
      type: 'string',
      required: false,
      read_only: false,
      label: 'Description',
    })
  })

  it('types a related key as "field", with no choices that would list other users\' rows', async () => {
    const fields = (await options('/api/v1/borrowings/', alice)).actions.POST
    expect(fields.what).toEqual({ type: 'field', required: true, read_only: false, label: 'What' })
    expect(fields.to_who).toEqual({
      type: 'field',
      required: true,
      read_only: false,
      label: 'To who',
    })
    expect(fields.when).toMatchObject({ type: 'datetime', required: false, read_only: false })
  })

  it('has none on a read-only resource', async () => {
    expect(await options('/api/profiles/', alice)).not.toHaveProperty('actions')
  })

  it("reads a plain route's body schema: login's fields", async () => {
    expect((await options('/api/rest-auth/login/')).actions).toEqual({
      POST: {
        username: { type: 'string', required: false, read_only: false, label: 'Username' },
        email: { type: 'email', required: false, read_only: false, label: 'Email' },
        password: { type: 'string', required: true, read_only: false, label: 'Password' },
      },
    })
  })

  it("does not offer PUT on a djoser action's path, which answers PUT with 405", async () => {
    const body = await options('/api/auth/users/set_password/', alice)
    expect(Object.keys(body.actions)).toEqual(['POST'])
    expect(Object.keys(body.actions.POST)).toEqual(['new_password', 'current_password'])
  })

  it("offers PUT on djoser's /users/me/ and on one's own /users/{id}/, not on another's", async () => {
    expect((await options('/api/auth/users/me/', alice)).actions).toHaveProperty('PUT')
    expect((await options(`/api/auth/users/${alice.id}/`, alice)).actions).toHaveProperty('PUT')
    expect(await options(`/api/auth/users/${bob.id}/`, alice)).not.toHaveProperty('actions')
  })

  it('changes nothing: OPTIONS on an object loads it and writes nothing', async () => {
    const before = await t.request({
      method: 'GET',
      url: `/bucketlists/${aliceList}/`,
      token: alice.token,
    })
    await options(`/bucketlists/${aliceList}/`, alice)
    const after = await t.request({
      method: 'GET',
      url: `/bucketlists/${aliceList}/`,
      token: alice.token,
    })
    expect(after.json()).toEqual(before.json())
  })
})

describe('Allow', () => {
  it('comes with every 405, naming what the path answers, as DRF', async () => {
    const put = await t.request({ method: 'PUT', url: '/bucketlists/', token: alice.token })
    expect(put.statusCode).toBe(405)
    expect(put.headers.allow).toBe('GET, POST, HEAD, OPTIONS')
    expect(put.json()).toEqual({ detail: 'Method "PUT" not allowed.' })
  })

  it("names an action path's own methods, not those of the detail pattern it also fits", async () => {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const answer = await t.request({
        method,
        url: '/api/auth/users/set_password/',
        token: alice.token,
      })
      expect(answer.statusCode, method).toBe(405)
      expect(answer.headers.allow, method).toBe('POST, OPTIONS')
    }
    const described = await t.request({
      method: 'OPTIONS',
      url: '/api/auth/users/set_password/',
      token: alice.token,
    })
    expect(described.headers.allow).toBe('POST, OPTIONS')
    const detail = await t.request({
      method: 'OPTIONS',
      url: `/api/auth/users/${alice.id}/`,
      token: alice.token,
    })
    expect(detail.headers.allow).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS')
  })
})
