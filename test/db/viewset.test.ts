import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  action,
  BasicScheme,
  f,
  IsAuthenticated,
  IsOwnerOrReadOnly,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// A viewset written the way a user of the framework would: read-only for others, custom actions.
const Schema = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255, unique: true }),
  date_created: f.datetime({ readOnly: true, autoNowAdd: true }),
  date_modified: f.datetime({ readOnly: true, autoNow: true }),
})

const lists = viewset({
  basename: 'list',
  table: 'bucketlists',
  schema: Schema,
  authentication: [BasicScheme, TokenScheme],
  permissions: [IsAuthenticated, IsOwnerOrReadOnly],
  actions: ['list', 'retrieve', 'create', 'partial_update'],
  query: (db) =>
    db
      .selectFrom('bucketlists')
      .select(['id', 'name', 'owner_id', 'date_created', 'date_modified']),
  performCreate: (request, data) => ({ name: data.name, owner_id: request.user!.id }),
  extraActions: {
    shout: action({
      detail: true,
      methods: ['POST'],
      async handler(_request, _reply, { getObject }) {
        const obj = (await getObject()) as { name: string }
        return { shouted: obj.name.toUpperCase() }
      },
    }),
    count: action({
      detail: false,
      methods: ['GET'],
      async handler(request) {
        const rows = await request.server.db.selectFrom('bucketlists').select('id').execute()
        return { count: rows.length }
      },
    }),
  },
})

let t: TestApp
let app: FastifyInstance
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  app = await routerApp(t, new Router().register('lists', lists))
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const as = (user: TestUser) => ({ authorization: `Token ${user.token}` })

describe('a custom viewset', () => {
  it('serves only the actions it declares', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/lists/',
      headers: as(alice),
      payload: { name: 'Mine' },
    })
    expect(created.statusCode).toBe(201)
    const body = created.json()
    expect(body.date_created).toBe(body.date_modified)
    const del = await app.inject({
      method: 'DELETE',
      url: `/lists/${body.id}/`,
      headers: as(alice),
    })
    expect(del.statusCode).toBe(405)
    const put = await app.inject({
      method: 'PUT',
      url: `/lists/${body.id}/`,
      headers: as(alice),
      payload: { name: 'x' },
    })
    expect(put.statusCode).toBe(405)
  })

  it('lets others read but not change (IsOwnerOrReadOnly through the router)', async () => {
    const { id } = (
      await app.inject({
        method: 'POST',
        url: '/lists/',
        headers: as(alice),
        payload: { name: 'Read me' },
      })
    ).json()
    expect((await app.inject({ url: `/lists/${id}/`, headers: as(bob) })).statusCode).toBe(200)
    const patch = await app.inject({
      method: 'PATCH',
      url: `/lists/${id}/`,
      headers: as(bob),
      payload: { name: 'Mine now' },
    })
    expect(patch.statusCode).toBe(403)
    const own = await app.inject({
      method: 'PATCH',
      url: `/lists/${id}/`,
      headers: as(alice),
      payload: { name: 'Still mine' },
    })
    expect(own.json().name).toBe('Still mine')
  })

  it('mounts custom detail and list actions that go through the same checks', async () => {
    const { id } = (
      await app.inject({
        method: 'POST',
        url: '/lists/',
        headers: as(alice),
        payload: { name: 'quiet' },
      })
    ).json()
    const shout = await app.inject({ method: 'POST', url: `/lists/${id}/shout/`, headers: as(bob) })
    expect(shout.statusCode).toBe(403)
    const mine = await app.inject({
      method: 'POST',
      url: `/lists/${id}/shout/`,
      headers: as(alice),
    })
    expect(mine.json()).toEqual({ shouted: 'QUIET' })
    expect(
      (await app.inject({ method: 'POST', url: '/lists/999/shout/', headers: as(alice) }))
        .statusCode,
    ).toBe(404)
    expect(
      (await app.inject({ method: 'GET', url: `/lists/${id}/shout/`, headers: as(alice) }))
        .statusCode,
    ).toBe(405)
    const count = await app.inject({ url: '/lists/count/', headers: as(bob) })
    expect(count.statusCode).toBe(200)
    expect(count.json().count).toBeGreaterThan(0)
    expect((await app.inject({ url: '/lists/count/' })).statusCode).toBe(401)
  })

  it('gates HEAD like GET', async () => {
    expect((await app.inject({ method: 'HEAD', url: '/lists/' })).statusCode).toBe(401)
    expect(
      (await app.inject({ method: 'HEAD', url: '/lists/', headers: as(alice) })).statusCode,
    ).toBe(200)
  })
})
