import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { migrate, openDatabase } from 'portcullis'
import { accountsMigrations, createUser, type User } from 'portcullis/accounts'
import { testClient } from 'portcullis/testing'
import { buildApp } from '../src/app.js'
import { noteMigrations } from '../src/notes/index.js'
import { settingsFromEnv } from '../src/settings.js'

const PASSWORD = 'Corr3ct-Horse-Battery'
const file = join(tmpdir(), `notes-${randomBytes(6).toString('hex')}.sqlite3`)
let app: FastifyInstance
let alice: User
let bob: User
let carol: User

before(async () => {
  const db = openDatabase(file)
  await migrate(db, [accountsMigrations, noteMigrations])
  alice = await createUser(db, {
    username: 'alice',
    email: 'alice@example.com',
    password: PASSWORD,
  })
  bob = await createUser(db, { username: 'bob', email: 'bob@example.com', password: PASSWORD })
  carol = await createUser(db, { username: 'carol', email: 'c@example.com', password: PASSWORD })
  await db.destroy()
  app = await buildApp(
    settingsFromEnv({ DATABASE_URL: file, SECRET_KEY: randomBytes(32).toString('hex') }),
  )
})

after(async () => {
  await app.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
})

describe('notes', () => {
  it('asks an anonymous client to log in', async () => {
    const answer = await testClient(app).get('/api/notes/')
    assert.equal(answer.status, 401)
    assert.deepEqual(answer.json(), { detail: 'Authentication credentials were not provided.' })
  })

  it('creates a note owned by the requester, and lists only its owner’s', async () => {
    const client = testClient(app)
    client.forceAuthenticate(alice)
    const created = await client.post('/api/notes/', { title: 'Buy milk' })
    assert.equal(created.status, 201)
    assert.equal(created.json().title, 'Buy milk')
    const id = created.json().id

    const other = testClient(app)
    other.forceAuthenticate(bob)
    assert.deepEqual((await other.get('/api/notes/')).json().results, [])
    assert.equal((await other.get(`/api/notes/${id}/`)).status, 404)
    assert.equal((await other.delete(`/api/notes/${id}/`)).status, 404)
    assert.equal((await client.get('/api/notes/', { search: 'milk' })).json().count, 1)
  })

  it('logs in for a token with the accounts app, and uses it', async () => {
    const client = testClient(app)
    const login = await client.post('/api/auth/token/login/', {
      username: 'bob',
      password: PASSWORD,
    })
    assert.equal(login.status, 200)
    client.credentials({ authorization: `Token ${login.json().auth_token}` })
    assert.equal((await client.post('/api/notes/', { title: 'Call Ada' })).status, 201)
    assert.equal((await client.get('/api/notes/')).json().count, 1)
  })

  it('refuses a blank title with DRF’s message, and writes nothing', async () => {
    const client = testClient(app)
    client.forceAuthenticate(alice)
    const answer = await client.post('/api/notes/', { title: '' })
    assert.equal(answer.status, 400)
    assert.deepEqual(answer.json(), { title: ['This field may not be blank.'] })
  })

  it('shares a note with readers: they read it and comment, only its owner changes it', async () => {
    const owner = as(alice)
    const reader = as(bob)
    const note = (await owner.post('/api/notes/', { title: 'Plan', readers: [bob.id] })).json()
    assert.deepEqual(note.readers, [bob.id])
    assert.deepEqual(note.owner, { id: alice.id, username: 'alice' })
    const url = `/api/notes/${note.id}/`
    assert.equal((await reader.get(url)).json().title, 'Plan')
    assert.equal((await reader.patch(url, { title: 'Mine now' })).status, 403)

    const comment = await reader.post(`${url}comments/`, { body: 'Count me in' })
    assert.equal(comment.status, 201)
    assert.deepEqual(comment.json().author, { id: bob.id, username: 'bob' })
    assert.equal((await owner.get(`${url}comments/`)).json().count, 1)
    assert.equal((await as(carol).get(`${url}comments/`)).status, 404)
    assert.equal((await owner.delete(`${url}comments/${comment.json().id}/`)).status, 403)

    assert.deepEqual((await owner.patch(url, { readers: [] })).json().readers, [])
    assert.equal((await reader.get(url)).status, 404)
  })

  it('refuses a reader who does not exist with DRF’s message', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    const answer = await as(alice).post('/api/notes/', { title: 'x', readers: [missing] })
    assert.equal(answer.status, 400)
    assert.deepEqual(answer.json(), {
      readers: [`Invalid pk "${missing}" - object does not exist.`],
    })
    const notAList = await as(alice).post('/api/notes/', { title: 'x', readers: bob.id })
    assert.deepEqual(notAList.json(), {
      readers: ['Expected a list of items but got type "str".'],
    })
  })

  it('filters by creation time, and refuses a time it cannot read', async () => {
    const client = as(alice)
    assert.equal(
      (await client.get('/api/notes/', { created_at__gte: '2100-01-01T00:00:00Z' })).json().count,
      0,
    )
    assert.ok(
      (await client.get('/api/notes/', { created_at__lte: '2100-01-01T00:00:00Z' })).json().count >
        0,
    )
    assert.equal((await client.get('/api/notes/', { created_at__gte: 'soon' })).status, 400)
  })

  it('limits creating to 10 notes a minute per user, while reading goes on', async () => {
    const client = as(carol)
    for (let i = 0; i < 10; i++) {
      assert.equal((await client.post('/api/notes/', { title: `n${i}` })).status, 201)
    }
    const refused = await client.post('/api/notes/', { title: 'one too many' })
    assert.equal(refused.status, 429)
    assert.ok(Number(refused.headers['retry-after']) > 0)
    assert.equal((await client.get('/api/notes/')).status, 200)
  })
})

function as(user: User) {
  const client = testClient(app)
  client.forceAuthenticate(user)
  return client
}
