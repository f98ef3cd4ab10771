import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, grant } from '../../src/accounts/index.ts'
import {
  f,
  modelPermissions,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { type PermissionApp, permissionApp } from '../helpers/permission-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

const Schema = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255, unique: true }),
  date_created: f.datetime({ readOnly: true, autoNowAdd: true }),
  date_modified: f.datetime({ readOnly: true, autoNow: true }),
})

// The same model behind three policies: reads free, reads needing `view`, anonymous reads.
const listsWith = (basename: string, options: Parameters<typeof modelPermissions>[0]) =>
  viewset({
    basename,
    table: 'bucketlists',
    schema: Schema,
    authentication: [TokenScheme],
    permissions: [modelPermissions(options)],
    query: (db) =>
      db
        .selectFrom('bucketlists')
        .select(['id', 'name', 'owner_id', 'date_created', 'date_modified']),
    performCreate: (request, data) => ({ name: data.name, owner_id: request.user!.id }),
  })

let t: TestApp
let p: PermissionApp
let app: FastifyInstance
let plain: TestUser
let adder: TestUser
let grouped: TestUser
let root: TestUser

beforeAll(async () => {
  t = await createTestApp()
  plain = await t.user('plain')
  adder = await t.user('adder')
  grouped = await t.user('grouped')
  root = await t.user('root')
  await t.db.updateTable('users').set({ is_superuser: true }).where('id', '=', root.id).execute()
  p = await permissionApp(t, (server) =>
    new Router()
      // The model named by the viewset's basename, as DRF derives it from the queryset.
      .register('lists', listsWith('bucketlists.bucketlist', {}))
      .register(
        'viewed',
        listsWith('viewed', { model: 'bucketlists.bucketlist', viewRequired: true }),
      )
      .register(
        'open',
        listsWith('open', { model: 'bucketlists.bucketlist', anonymousReads: true }),
      )
      .mount(server),
  )
  app = p.app
  await grant(t.db, { kind: 'user', id: adder.id }, ['bucketlists.add_bucketlist'])
  const { id: editors } = await t.db
    .insertInto('auth_groups')
    .values({ name: 'editors' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await grant(t.db, { kind: 'group', id: editors }, [
    'bucketlists.change_bucketlist',
    'bucketlists.delete_bucketlist',
    'bucketlists.view_bucketlist',
  ])
  await addMember(t.db, editors, grouped.id)
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const as = (u: TestUser) => ({ authorization: `Token ${u.token}` })
const create = (u: TestUser | null, name: string, url = '/lists/') =>
  app.inject({ method: 'POST', url, headers: u ? as(u) : {}, payload: { name } })

describe('ModelPermissions', () => {
  it('maps POST to add: a direct grant lets in, no grant is 403', async () => {
    expect((await create(adder, 'by adder')).statusCode).toBe(201)
    const refused = await create(plain, 'by plain')
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual({ detail: 'You do not have permission to perform this action.' })
  })

  it('maps PATCH to change and DELETE to delete, granted through a group', async () => {
    const { id } = (await create(adder, 'to change')).json()
    const patch = (u: TestUser) =>
      app.inject({ method: 'PATCH', url: `/lists/${id}/`, headers: as(u), payload: { name: 'x' } })
    expect((await patch(adder)).statusCode).toBe(403)
    expect((await patch(grouped)).statusCode).toBe(200)
    expect((await create(grouped, 'group cannot add')).statusCode).toBe(403)
    const del = (u: TestUser) =>
      app.inject({ method: 'DELETE', url: `/lists/${id}/`, headers: as(u) })
    expect((await del(plain)).statusCode).toBe(403)
    expect((await del(grouped)).statusCode).toBe(204)
  })

  it('lets a superuser do anything without a grant', async () => {
    const { id } = (await create(root, 'root list')).json()
    expect(
      (await app.inject({ method: 'DELETE', url: `/lists/${id}/`, headers: as(root) })).statusCode,
    ).toBe(204)
  })

  it('refuses anonymous users with 401, even to read', async () => {
    const list = await app.inject({ url: '/lists/' })
    expect(list.statusCode).toBe(401)
    expect(list.headers['www-authenticate']).toBe('Token')
    expect((await create(null, 'anon')).statusCode).toBe(401)
  })

  it('needs no permission to read unless viewRequired', async () => {
    expect((await app.inject({ url: '/lists/', headers: as(plain) })).statusCode).toBe(200)
    expect((await app.inject({ url: '/viewed/', headers: as(plain) })).statusCode).toBe(403)
    expect((await app.inject({ url: '/viewed/', headers: as(grouped) })).statusCode).toBe(200)
    expect((await app.inject({ url: '/viewed/', headers: as(root) })).statusCode).toBe(200)
  })

  it('OrAnonReadOnly lets anonymous users read and nothing else', async () => {
    expect((await app.inject({ url: '/open/' })).statusCode).toBe(200)
    expect((await create(null, 'anon', '/open/')).statusCode).toBe(401)
    expect((await create(adder, 'adder open', '/open/')).statusCode).toBe(201)
  })

  it('loads the effective permissions with one query per request', async () => {
    // `/viewed/` checks `view` at view level; the list then costs its count and its page.
    p.resetQueries()
    expect((await app.inject({ url: '/viewed/', headers: as(grouped) })).statusCode).toBe(200)
    expect(p.queries()).toBe(3)
    p.resetQueries()
    expect((await app.inject({ url: '/lists/', headers: as(grouped) })).statusCode).toBe(200)
    expect(p.queries()).toBe(2)
  })
})
