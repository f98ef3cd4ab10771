import type { AuthUser } from 'portcullis'
import { testClient } from 'portcullis/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PASSWORD, type TestApp, type TestUser } from '../helpers/test-app.ts'

// `portcullis/testing` over the reference server: the seed-000 bucketlists (Basic, Token and
// Session schemes; IsAuthenticated and IsOwner), on SQLite and on PostgreSQL.
let t: TestApp
let alice: TestUser
let bob: TestUser
let aliceUser: AuthUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  aliceUser = (await t.app.users.userById(alice.id))!
})
afterAll(() => t?.close())

const ownerOf = async (id: number) =>
  (await t.db.selectFrom('bucketlists').select('owner_id').where('id', '=', id).executeTakeFirst())
    ?.owner_id

describe('forceAuthenticate', () => {
  it('creates as the forced user, without credentials or CSRF, and permissions still hold', async () => {
    const client = testClient(t.app)
    client.forceAuthenticate(aliceUser)
    const created = await client.post('/bucketlists/', { name: 'forced: see the sea' })
    expect(created.status).toBe(201)
    expect(created.json()).toMatchObject({ name: 'forced: see the sea', owner: 'alice' })
    expect(await ownerOf(created.json().id)).toBe(alice.id)

    // Bob, forced, is still refused alice's bucketlist by IsOwner.
    const other = testClient(t.app)
    other.forceAuthenticate((await t.app.users.userById(bob.id))!)
    const res = await other.get(`/bucketlists/${created.json().id}/`)
    expect(res.status).toBe(403)
    expect(res.json()).toEqual({ detail: 'You do not have permission to perform this action.' })
  })

  it('answers a made-up test-client header as anonymous', async () => {
    testClient(t.app).forceAuthenticate(aliceUser)
    const res = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      headers: { 'x-portcullis-test-client': 'made-up' },
      json: { name: 'forged' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Basic realm="api"')
  })
})

describe('credentials', () => {
  it('sends a token with every request until cleared', async () => {
    const client = testClient(t.app)
    client.credentials({ authorization: `Token ${bob.token}` })
    const created = await client.post('/bucketlists/', { name: 'token: climb a hill' })
    expect(created.status).toBe(201)
    expect(await ownerOf(created.json().id)).toBe(bob.id)
    client.credentials()
    expect((await client.get('/bucketlists/')).status).toBe(401)
  })
})

describe('login and logout', () => {
  it('starts a real session; an unsafe request carries the CSRF token by itself', async () => {
    const client = testClient(t.app)
    expect(await client.login('alice', PASSWORD)).toBe(true)
    expect(Object.keys(client.cookies()).sort()).toEqual(['csrftoken', 'sessionid'])
    expect(await t.app.sessions.listForUser(alice.id)).toHaveLength(1)
    const created = await client.post('/bucketlists/', { name: 'session: learn to juggle' })
    expect(created.status).toBe(201)
    expect(await ownerOf(created.json().id)).toBe(alice.id)
    // Without the token the same session is refused: the session scheme checked CSRF.
    const bare = await t.request({
      method: 'POST',
      url: '/bucketlists/',
      cookies: { sessionid: client.cookies().sessionid },
      json: { name: 'no csrf' },
    })
    expect(bare.statusCode).toBe(403)
    expect(bare.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' })

    await client.logout()
    expect(client.cookies()).toEqual({})
    expect(await t.app.sessions.listForUser(alice.id)).toHaveLength(0)
    expect((await client.get('/bucketlists/')).status).toBe(401)
  })

  it('answers false for a wrong password or an unknown user, and starts nothing', async () => {
    const client = testClient(t.app)
    expect(await client.login('bob', 'not-the-password')).toBe(false)
    expect(await client.login('nobody', PASSWORD)).toBe(false)
    expect(client.cookies()).toEqual({})
    expect(await t.app.sessions.listForUser(bob.id)).toHaveLength(0)
  })

  it('logs in by email too, and a second login ends the first session', async () => {
    const client = testClient(t.app)
    expect(await client.login(bob.email, PASSWORD)).toBe(true)
    const first = client.cookies().sessionid
    expect(await client.login('bob', PASSWORD)).toBe(true)
    expect(client.cookies().sessionid).not.toBe(first)
    expect(await t.app.sessions.listForUser(bob.id)).toHaveLength(1)
    await client.logout()
  })

  it('forgets the forced user and the credentials at logout', async () => {
    const client = testClient(t.app)
    client.forceAuthenticate(aliceUser)
    client.credentials({ authorization: `Token ${alice.token}` })
    await client.logout()
    expect((await client.get('/bucketlists/')).status).toBe(401)
  })
})

describe('formats', () => {
  it('posts a form when told, as a browser would', async () => {
    const client = testClient(t.app)
    client.forceAuthenticate(aliceUser)
    const res = await client.post(
      '/bucketlists/',
      { name: 'form: plant a tree' },
      { format: 'form' },
    )
    expect(res.status).toBe(201)
    expect(res.json()).toMatchObject({ name: 'form: plant a tree', owner: 'alice' })
    const multipart = await client.post(
      '/bucketlists/',
      { name: 'multipart: sail' },
      { format: 'multipart' },
    )
    expect(multipart.status).toBe(201)
  })

  it("puts a GET's data in the query string", async () => {
    const client = testClient(t.app)
    client.forceAuthenticate(aliceUser)
    const res = await client.get('/bucketlists/', { search: 'tree' })
    expect(res.json().results.map((b: { name: string }) => b.name)).toEqual(['form: plant a tree'])
  })
})
