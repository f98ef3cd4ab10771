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

before(async () => {
  const db = openDatabase(file)
  await migrate(db, [accountsMigrations, noteMigrations])
  alice = await createUser(db, {
    username: 'alice',
    email: 'alice@example.com',
    password: PASSWORD,
  })
  bob = await createUser(db, { username: 'bob', email: 'bob@example.com', password: PASSWORD })
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
})
