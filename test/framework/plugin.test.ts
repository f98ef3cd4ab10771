import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import {
  AllowAny,
  createApp,
  type Database,
  f,
  migrate,
  openDatabase,
  portcullis,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from 'portcullis'
import { accountsMigrations, accountsUsers, createUser, mintToken } from 'portcullis/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// A user's app on the plugin alone: one settings object, a router of their own under a prefix.
const SECRET = randomBytes(32).toString('base64url')

const PersonSchema = resourceSchema('person', {
  id: f.string({ readOnly: true }),
  username: f.string({ readOnly: true }),
})

// Users are the accounts app's table: a read-only list of them is enough to see the pipeline.
const people = viewset({
  basename: 'person',
  table: 'users',
  schema: PersonSchema,
  actions: ['list', 'retrieve'],
  query: (db) => db.selectFrom('users').select(['id', 'username']),
})

function tempDatabase() {
  const file = join(tmpdir(), `portcullis-plugin-${randomBytes(6).toString('hex')}.sqlite3`)
  return {
    file,
    drop: () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
    },
  }
}

describe('the portcullis plugin', () => {
  const database = tempDatabase()
  let app: FastifyInstance
  let token: string

  beforeAll(async () => {
    const db = openDatabase(database.file)
    await migrate(db, [accountsMigrations])
    const user = await createUser(db, {
      username: 'ada',
      email: 'ada@example.com',
      password: 'Corr3ct-Horse-Battery',
    })
    token = await mintToken(db, user.id)
    await db.destroy()
    app = await createApp({
      database: database.file,
      secretKey: SECRET,
      users: accountsUsers(),
      corsOrigins: ['https://app.example.com'],
      browsable: { siteName: 'Ada’s API' },
      openapi: { title: 'People', version: '2.0.0' },
    })
    await app.register(new Router().register('people', people).plugin({ root: true }), {
      prefix: '/v2',
    })
  })
  afterAll(async () => {
    await app?.close()
    database.drop()
  })

  it('authenticates with the default schemes and refuses the anonymous', async () => {
    const anonymous = await app.inject({ url: '/v2/people/' })
    expect(anonymous.statusCode).toBe(403)
    expect(anonymous.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
    const basic = await app.inject({
      url: '/v2/people/',
      headers: {
        authorization: `Basic ${Buffer.from('ada:Corr3ct-Horse-Battery').toString('base64')}`,
      },
    })
    expect(basic.statusCode).toBe(200)
    expect(basic.json().results).toEqual([{ id: expect.any(String), username: 'ada' }])
  })

  it('serves the router root under the prefix with links that include it', async () => {
    const root = await app.inject({
      url: '/v2/',
      headers: {
        authorization: `Basic ${Buffer.from('ada:Corr3ct-Horse-Battery').toString('base64')}`,
      },
    })
    expect(root.statusCode).toBe(200)
    expect(root.json()).toEqual({ people: 'http://localhost/v2/people/' })
  })

  it('serves a root page at / linking the router root and the OpenAPI document', async () => {
    const root = await app.inject({ url: '/' })
    expect(root.statusCode).toBe(200)
    // No /docs: this app does not ask for the reference page.
    expect(root.json()).toEqual({
      v2: 'http://localhost/v2/',
      openapi: 'http://localhost/openapi.json',
    })
    const page = await app.inject({ url: '/', headers: { accept: 'text/html' } })
    expect(page.body).toContain('<h1 tabindex="-1">Api Root</h1>')
    expect(page.body).toContain('<a href="http://localhost/v2/" rel="nofollow">')
  })

  it('sends the security headers and CORS on the user’s routes, and refuses foreign hosts', async () => {
    const answer = await app.inject({
      url: '/v2/people/',
      headers: { origin: 'https://app.example.com' },
    })
    expect(answer.headers['x-content-type-options']).toBe('nosniff')
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com')
    const foreign = await app.inject({ url: '/v2/people/', headers: { host: 'evil.example' } })
    expect(foreign.statusCode).toBe(400)
  })

  it('names the site in the browsable page and describes the routes in OpenAPI', async () => {
    const page = await app.inject({ url: '/v2/people/', headers: { accept: 'text/html' } })
    expect(page.body).toContain('Ada’s API</a>')
    const document = (await app.inject({ url: '/openapi.json' })).json()
    expect(document.info).toMatchObject({ title: 'People', version: '2.0.0' })
    expect(Object.keys(document.paths)).toContain('/v2/people/')
  })

  it('uses Token authentication where a route asks for it', async () => {
    const server = await createApp({
      database: database.file,
      secretKey: SECRET,
      users: accountsUsers(),
      openapi: false,
    })
    server.get('/mine', { config: { authentication: [TokenScheme] } }, async (request) => ({
      user: request.user?.username,
    }))
    const answer = await server.inject({
      url: '/mine',
      headers: { authorization: `Token ${token}` },
    })
    expect(answer.json()).toEqual({ user: 'ada' })
    expect((await server.inject({ url: '/openapi.json' })).statusCode).toBe(404)
    await server.close()
  })
})

describe('the portcullis plugin at start', () => {
  const database = tempDatabase()
  afterAll(() => database.drop())

  async function startError(build: (app: FastifyInstance) => void | Promise<void>) {
    const app = Fastify()
    try {
      await build(app)
      await app.ready()
    } catch (err) {
      return (err as Error).message
    } finally {
      await app.close().catch(() => {})
    }
    return null
  }

  it('refuses a short secret key', async () => {
    const message = await startError((app) => {
      app.register(portcullis, { database: database.file, secretKey: 'short' })
    })
    expect(message).toBe('secretKey must be a random string of at least 32 characters')
  })

  it('names a database that does not answer', async () => {
    const message = await startError((app) => {
      app.register(portcullis, {
        database: 'postgres://root@127.0.0.1:1/none',
        secretKey: SECRET,
      })
    })
    expect(message).toMatch(/^database is not reachable: /)
  })

  it('names a Redis that does not answer', async () => {
    const message = await startError((app) => {
      app.register(portcullis, {
        database: database.file,
        secretKey: SECRET,
        redis: 'redis://127.0.0.1:1',
      })
    })
    expect(message).toMatch(/^redis is not reachable: /)
  })

  it('refuses a route whose scheme needs users the server does not have', async () => {
    const message = await startError(async (app) => {
      await app.register(portcullis, { database: database.file, secretKey: SECRET })
      app.get('/mine', { config: { authentication: [TokenScheme] } }, async () => ({}))
    })
    expect(message).toContain('ERR_SCHEME_NEEDS')
    expect(message).toContain('users: accountsUsers()')
  })

  it('without users, defaults to no scheme: routes allowing anyone work', async () => {
    const app = Fastify()
    await app.register(portcullis, { database: database.file, secretKey: SECRET })
    app.get('/open', { config: { permissions: [AllowAny] } }, async (request) => ({
      user: request.user,
    }))
    expect((await app.inject({ url: '/open' })).json()).toEqual({ user: null })
    await app.close()
  })

  it('leaves a database it was given open at close', async () => {
    const db: Database = openDatabase(database.file)
    const app = Fastify()
    await app.register(portcullis, { database: db, secretKey: SECRET })
    await app.ready()
    await app.close()
    // Still open: a query answers.
    expect((await sql`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }])
    await db.destroy()
  })
})
