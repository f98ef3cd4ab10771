import type { FastifyInstance, FastifyRequest } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Database,
  f,
  openDatabase,
  Router,
  resourceSchema,
  TokenScheme,
  ValidationError,
  viewset,
} from '../../src/framework/index.ts'
import { requestAs, someUser } from '../framework/permissions/fake-request.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// f.relatedPk over a real database: the scope is applied in SQL, in the validation pass.
const Loan = resourceSchema('loan', {
  what: f.relatedPk({
    table: 'belongings',
    scope: (request, query) => query.where('owner_id', '=', request.user!.id),
  }),
  to_who: f.relatedPk({
    table: 'friends',
    scope: (request, query) => query.where('owner_id', '=', request.user!.id),
    required: false,
    nullable: true,
  }),
  note: f.string({ required: false, maxLength: 3 }),
})

let t: TestApp
let alice: TestUser
let bob: TestUser
let mine: { thing: number; friend: number }
let theirs: { thing: number; friend: number }

async function lendables(owner: TestUser) {
  const thing = await t.db
    .insertInto('belongings')
    .values({ owner_id: owner.id, name: 'thing' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const friend = await t.db
    .insertInto('friends')
    .values({ owner_id: owner.id, name: 'friend' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { thing: thing.id, friend: friend.id }
}

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  mine = await lendables(alice)
  theirs = await lendables(bob)
})
afterAll(() => t?.close())

const asAlice = () => ({ context: { request: requestAs(someUser(alice.id)), db: t.db } })

async function errorsOf(data: unknown, options = asAlice()) {
  const err = await Loan.validate(data, options).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ValidationError)
  return (err as ValidationError).errors
}

describe('f.relatedPk', () => {
  it("takes the requester's own keys, as numbers or numeric strings", async () => {
    expect(
      await Loan.validate({ what: mine.thing, to_who: String(mine.friend) }, asAlice()),
    ).toEqual({ what: mine.thing, to_who: mine.friend })
  })

  it("answers another user's key exactly as a missing one", async () => {
    const missing = theirs.thing + 1000
    expect(await errorsOf({ what: theirs.thing })).toEqual({
      what: [`Invalid pk "${theirs.thing}" - object does not exist.`],
    })
    expect(await errorsOf({ what: missing })).toEqual({
      what: [`Invalid pk "${missing}" - object does not exist.`],
    })
  })

  it('refuses what is no key with the Python type it got', async () => {
    const cases: [unknown, string][] = [
      ['abc', 'str'],
      ['7.0', 'str'],
      [true, 'bool'],
      [7.5, 'float'],
      [[7], 'list'],
      [{ pk: 7 }, 'dict'],
    ]
    for (const [what, type] of cases) {
      expect(await errorsOf({ what }), JSON.stringify(what)).toEqual({
        what: [`Incorrect type. Expected pk value, received ${type}.`],
      })
    }
  })

  it('answers keys no row can have without a database error', async () => {
    for (const what of [0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e300]) {
      expect((await errorsOf({ what }))['what'], String(what)).toEqual([
        `Invalid pk "${what}" - object does not exist.`,
      ])
    }
  })

  it('honours null, absence and partial validation', async () => {
    expect(await Loan.validate({ what: mine.thing, to_who: null }, asAlice())).toEqual({
      what: mine.thing,
      to_who: null,
    })
    expect(await errorsOf({ what: null })).toEqual({ what: ['This field may not be null.'] })
    expect(await errorsOf({})).toEqual({ what: ['This field is required.'] })
    expect(await Loan.validate({}, { ...asAlice(), partial: true })).toEqual({})
  })

  it("checks keys in the same pass as the other fields' errors, in field order", async () => {
    const errors = await errorsOf({ note: 'long', to_who: theirs.friend, what: 'x' })
    expect(Object.keys(errors)).toEqual(['what', 'to_who', 'note'])
    expect(errors['to_who']).toEqual([`Invalid pk "${theirs.friend}" - object does not exist.`])
  })

  it('needs a context: without one it throws rather than skip the scope', async () => {
    await expect(Loan.validate({ what: mine.thing })).rejects.toThrow(
      /field "what" checks the database/,
    )
  })
})

// Deletes a row through a connection of its own, as another request would, between validation
// and the insert (performCreate runs inside the write's transaction, after validation).
describe('a related row deleted after validation', () => {
  let app: FastifyInstance
  let other: Database
  // What goes wrong between validation and the insert.
  let sabotage: 'delete the belonging' | 'name no owner' = 'delete the belonging'
  const loans = viewset({
    basename: 'loan',
    table: 'borrowings',
    schema: resourceSchema('loan', {
      id: f.integer({ readOnly: true }),
      what: Loan.fields.what,
      to_who: f.relatedPk({
        table: 'friends',
        scope: (request, query) => query.where('owner_id', '=', request.user!.id),
      }),
    }),
    authentication: [TokenScheme],
    query: (db) => db.selectFrom('borrowings').select(['id', 'what', 'to_who', 'owner_id']),
    async performCreate(request: FastifyRequest, data) {
      if (sabotage === 'delete the belonging') {
        await other.deleteFrom('belongings').where('id', '=', data.what!).execute()
      }
      const owner_id = sabotage === 'name no owner' ? 'no-such-user' : request.user!.id
      return { ...data, owner_id, when: new Date().toISOString() }
    },
    async performUpdate(_request, data) {
      await other.deleteFrom('friends').where('id', '=', data.to_who!).execute()
      return data
    },
  })

  beforeAll(async () => {
    other = openDatabase(t.url, { poolSize: 1 })
    app = await routerApp(t, new Router().register('loans', loans))
  })
  afterAll(async () => {
    await app?.close()
    await other?.destroy()
  })

  it('answers the field error of validation on create, never a 500', async () => {
    const doomed = await lendables(alice)
    const res = await app.inject({
      method: 'POST',
      url: '/loans/',
      headers: { authorization: `Token ${alice.token}` },
      payload: { what: doomed.thing, to_who: doomed.friend },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ what: [`Invalid pk "${doomed.thing}" - object does not exist.`] })
  })

  it('answers the field error of validation on update', async () => {
    const kept = await lendables(alice)
    const doomed = await lendables(alice)
    const { id } = await t.db
      .insertInto('borrowings')
      .values({
        owner_id: alice.id,
        what: kept.thing,
        to_who: kept.friend,
        when: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const res = await app.inject({
      method: 'PATCH',
      url: `/loans/${id}/`,
      headers: { authorization: `Token ${alice.token}` },
      payload: { to_who: doomed.friend },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      to_who: [`Invalid pk "${doomed.friend}" - object does not exist.`],
    })
  })

  it('still fails loudly for a violation no field explains', async () => {
    sabotage = 'name no owner'
    const ok = await lendables(alice)
    const res = await app.inject({
      method: 'POST',
      url: '/loans/',
      headers: { authorization: `Token ${alice.token}` },
      payload: { what: ok.thing, to_who: ok.friend },
    })
    sabotage = 'delete the belonging'
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ detail: 'A server error occurred.' })
  })
})
