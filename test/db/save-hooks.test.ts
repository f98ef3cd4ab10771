import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  f,
  IsAuthenticated,
  Router,
  resourceSchema,
  TokenScheme,
  ValidationError,
  viewset,
} from '../../src/framework/index.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// perform_create and perform_update as DRF has them: the hook saves, sees the saved row with its
// key, and writes related rows in the same transaction, which a later refusal rolls back.
const Friend = resourceSchema('friend', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 100 }),
})

const common = {
  table: 'friends' as const,
  schema: Friend,
  authentication: [TokenScheme],
  permissions: [IsAuthenticated],
  scope: (request: { user: { id: string } | null }) => ({ 'friends.owner_id': request.user!.id }),
  query: (db: TestApp['db']) => db.selectFrom('friends').select(['id', 'name', 'owner_id']),
}

// Each new friend comes with a welcome belonging named after its id; an update records the new
// name as a belonging too; the name "nobody" is refused after the save.
const friends = viewset({
  ...common,
  basename: 'friend',
  async performCreate(request, data, trx, save) {
    const friend = await save({ name: data.name, owner_id: request.user!.id })
    await trx
      .insertInto('belongings')
      .values({ name: `gift for friend ${friend.id}`, owner_id: request.user!.id })
      .execute()
    if (data.name === 'nobody') throw new ValidationError({ name: ['Not a friend.'] })
  },
  async performUpdate(request, data, _obj, trx, save) {
    const friend = await save(data.name === undefined ? {} : { name: data.name })
    await trx
      .insertInto('belongings')
      .values({ name: `renamed to ${String(friend.name)}`, owner_id: request.user!.id })
      .execute()
  },
})

// A hook that saves twice, and one that neither saves nor answers values: both are bugs.
const twice = viewset({
  ...common,
  basename: 'twice',
  async performCreate(request, data, _trx, save) {
    await save({ name: data.name, owner_id: request.user!.id })
    await save({ name: data.name, owner_id: request.user!.id })
  },
})
const silent = viewset({ ...common, basename: 'silent', performCreate: () => undefined })

// A hook that declares neither `trx` nor `save` (DRF's usual `serializer.save(owner=…)`): on
// SQLite its one INSERT runs in a transaction of SQLite's own.
const plain = viewset({
  ...common,
  basename: 'plain',
  performCreate: (request, data) => {
    if (data.name === 'nobody') throw new ValidationError({ name: ['Not a friend.'] })
    return { name: data.name, owner_id: request.user!.id }
  },
})

// One that reaches for the transaction it did not declare: a bug, told as one.
const sneaky = viewset({
  ...common,
  basename: 'sneaky',
  performCreate: (...args: unknown[]) => {
    const trx = args[2] as TestApp['db']
    void trx.insertInto('belongings')
    return { name: 'sneaky', owner_id: 'nobody' }
  },
})

let t: TestApp
let app: FastifyInstance
let alice: TestUser

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  app = await routerApp(
    t,
    new Router()
      .register('friends', friends)
      .register('twice', twice)
      .register('silent', silent)
      .register('plain', plain)
      .register('sneaky', sneaky),
  )
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const send = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
  const response = await app.inject({
    method,
    url,
    payload,
    headers: { authorization: `Token ${alice.token}` },
  })
  return { status: response.statusCode, body: response.json() }
}
const belongings = async () =>
  (
    await t.db
      .selectFrom('belongings')
      .select('name')
      .where('owner_id', '=', alice.id)
      .orderBy('id')
      .execute()
  ).map((b) => b.name)
const friendNames = async () =>
  (await t.db.selectFrom('friends').select('name').where('owner_id', '=', alice.id).execute()).map(
    (r) => r.name,
  )

describe('save hooks', () => {
  it('create: the hook sees the saved row with its id and writes a related row', async () => {
    const created = await send('POST', '/friends/', { name: 'Carol' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Carol' })
    expect(await belongings()).toEqual([`gift for friend ${created.body.id}`])
  })

  it('update: the hook sees the saved row and the answer shows it', async () => {
    const created = await send('POST', '/friends/', { name: 'Dan' })
    const updated = await send('PATCH', `/friends/${created.body.id}/`, { name: 'Daniel' })
    expect(updated.status).toBe(200)
    expect(updated.body).toEqual({ id: created.body.id, name: 'Daniel' })
    expect(await belongings()).toContain('renamed to Daniel')
  })

  it('a refusal after the save rolls back the row and its related rows', async () => {
    const before = await belongings()
    const refused = await send('POST', '/friends/', { name: 'nobody' })
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ name: ['Not a friend.'] })
    expect(await friendNames()).not.toContain('nobody')
    expect(await belongings()).toEqual(before)
  })

  it('a hook that saves twice or not at all fails and writes nothing', async () => {
    const count = (await friendNames()).length
    expect((await send('POST', '/twice/', { name: 'Eve' })).status).toBe(500)
    expect((await send('POST', '/silent/', { name: 'Fay' })).status).toBe(500)
    expect((await friendNames()).length).toBe(count)
  })

  it('a hook without trx or save: saved, refused with nothing written, alongside hooks that await', async () => {
    const created = await send('POST', '/plain/', { name: 'Gus' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Gus' })
    const refused = await send('POST', '/plain/', { name: 'nobody' })
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ name: ['Not a friend.'] })
    // Interleaved with creates whose hook holds a transaction open across awaits.
    const names = Array.from({ length: 12 }, (_, i) => `mixed ${i}`)
    const answers = await Promise.all(
      names.map((name, i) => send('POST', i % 2 ? '/plain/' : '/friends/', { name })),
    )
    expect(answers.map((a) => a.status)).toEqual(names.map(() => 201))
    expect((await friendNames()).filter((n) => n.startsWith('mixed')).sort()).toEqual(
      [...names].sort(),
    )
    expect(await friendNames()).not.toContain('nobody')
  })

  it('a hook that uses the transaction it did not declare fails and writes nothing', async () => {
    const count = (await friendNames()).length
    const before = await belongings()
    expect((await send('POST', '/sneaky/', { name: 'Hal' })).status).toBe(500)
    expect((await friendNames()).length).toBe(count)
    expect(await belongings()).toEqual(before)
  })
})
