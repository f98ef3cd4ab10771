import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  action,
  f,
  IsAdminUser,
  IsAuthenticated,
  Router,
  resourceSchema,
  TokenScheme,
  ValidationError,
  viewset,
} from '../../src/framework/index.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// A generic action's work replaced (DRF's overriding destroy()), and one method of an extra
// action mapped apart (DRF's @action.mapping): the routes, policies and object loading stay
// the framework's.
const Schema = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255 }),
})

const lists = viewset({
  basename: 'list',
  table: 'bucketlists',
  schema: Schema,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  actions: ['list', 'retrieve', 'destroy'],
  query: (db) => db.selectFrom('bucketlists').select(['id', 'name', 'owner_id']),
  scope: (request) => ({ 'bucketlists.owner_id': request.user!.id }),
  handlers: {
    // A delete must be confirmed: a 400 before anything goes.
    async destroy(request, reply, { getObject }) {
      const obj = await getObject()
      if ((request.query as { confirm?: string }).confirm !== 'yes') {
        throw new ValidationError({ confirm: ['Say yes.'] })
      }
      await request.server.db.deleteFrom('bucketlists').where('id', '=', Number(obj.id)).execute()
      return reply.code(204).send()
    },
  },
  docs: { destroy: { summary: 'Delete a list, once confirmed' } },
  extraActions: {
    newest: action({
      detail: false,
      methods: ['GET', 'DELETE'],
      handler: () => ({ newest: true }),
      mapping: { DELETE: { permissions: [IsAdminUser], handler: () => ({ cleared: true }) } },
    }),
    archive_all: action({ detail: false, methods: ['POST'], handler: () => ({ archived: 0 }) }),
  },
})

let t: TestApp
let app: FastifyInstance
let alice: TestUser
let bob: TestUser
let alicesList: number

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  const row = await t.db
    .insertInto('bucketlists')
    .values({
      name: 'a',
      owner_id: alice.id,
      date_created: '2026-01-01',
      date_modified: '2026-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  alicesList = Number(row.id)
  app = await routerApp(t, new Router().register('lists', lists))
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const send = (who: TestUser, method: 'GET' | 'DELETE' | 'OPTIONS', url: string) =>
  app.inject({ method, url, headers: { authorization: `Token ${who.token}` } })

describe('handlers', () => {
  it("runs the viewset's own work after the framework's scope and 404", async () => {
    expect((await send(bob, 'DELETE', `/lists/${alicesList}/?confirm=yes`)).statusCode).toBe(404)
    const unconfirmed = await send(alice, 'DELETE', `/lists/${alicesList}/`)
    expect(unconfirmed.statusCode).toBe(400)
    expect(unconfirmed.json()).toEqual({ confirm: ['Say yes.'] })
    expect((await send(alice, 'GET', `/lists/${alicesList}/`)).statusCode).toBe(200)
    const done = await send(alice, 'DELETE', `/lists/${alicesList}/?confirm=yes`)
    expect(done.statusCode).toBe(204)
    expect((await send(alice, 'GET', `/lists/${alicesList}/`)).statusCode).toBe(404)
  })
})

describe('mapping', () => {
  it('gives one method its own handler and policy under the same action', async () => {
    expect((await send(alice, 'GET', '/lists/newest/')).json()).toEqual({ newest: true })
    const refused = await send(alice, 'DELETE', '/lists/newest/')
    expect(refused.statusCode).toBe(403)
    const staff = await t.user('staff', { is_staff: true })
    expect((await send(staff, 'DELETE', '/lists/newest/')).json()).toEqual({ cleared: true })
  })

  it("answers a list-level action's path with 405 for a method it lacks, not the detail's 404", async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await send(alice, method, '/lists/archive_all/')
      expect(res.statusCode, method).toBe(405)
      expect(res.headers.allow).toBe('POST, OPTIONS')
      expect(res.json()).toEqual({ detail: `Method "${method}" not allowed.` })
    }
  })
})
