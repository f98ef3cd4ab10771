import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, grant, grantOnObject, removeMember, revoke } from '../../src/accounts/index.ts'
import {
  f,
  ObjectPermissions,
  objectsVisibleTo,
  Router,
  resourceSchema,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { permissionApp } from '../helpers/permission-app.ts'
import { seededRandom } from '../helpers/seeded-random.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// Random grants, memberships and revocations (seeded, so a failure replays), then every user's
// list compared with what the rules say they may see, computed here in plain code.
const TYPE = 'bucketlists.bucketlist'
const VIEW = 'bucketlists.view_bucketlist'
const CODENAMES = [VIEW, 'bucketlists.change_bucketlist']
const TYPES = [TYPE, 'other.thing']

const lists = viewset({
  basename: TYPE,
  table: 'bucketlists',
  schema: resourceSchema('bucketlist', { id: f.integer({ readOnly: true }) }),
  authentication: [TokenScheme],
  permissions: [ObjectPermissions],
  actions: ['list'],
  query: (db) => db.selectFrom('bucketlists').select('bucketlists.id'),
  perRequestQuery: (request, query) =>
    objectsVisibleTo(request, query, { objectType: TYPE, idColumn: 'bucketlists.id' }),
  ordering: { fields: {}, default: ['bucketlists.id'] },
})

let t: TestApp
let app: FastifyInstance
let users: TestUser[]
let groups: number[]
let objects: number[]

beforeAll(async () => {
  t = await createTestApp()
  users = []
  for (const name of ['u0', 'u1', 'u2', 'u3']) users.push(await t.user(name))
  groups = []
  for (const name of ['g0', 'g1', 'g2']) {
    const row = await t.db
      .insertInto('auth_groups')
      .values({ name })
      .returning('id')
      .executeTakeFirstOrThrow()
    groups.push(row.id)
  }
  const now = new Date().toISOString()
  const rows = Array.from({ length: 40 }, (_, i) => ({
    name: `object ${i}`,
    owner_id: users[0].id,
    date_created: now,
    date_modified: now,
  }))
  objects = (await t.db.insertInto('bucketlists').values(rows).returning('id').execute()).map(
    (r) => r.id,
  )
  app = (await permissionApp(t, (server) => new Router().register('lists', lists).mount(server)))
    .app
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

describe('objectsVisibleTo against the rules, on random grants', () => {
  it('lists exactly what each user may view, round after round', async () => {
    const next = seededRandom(20261122)
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]
    // The model of the rules: who is in which group, and which grants exist.
    const members = new Set<string>()
    const modelWide = new Set<string>()
    const onObjects = new Set<string>()
    const holderKey = (h: { kind: string; id: unknown }) => `${h.kind}:${h.id}`

    for (let round = 0; round < 6; round++) {
      for (let step = 0; step < 25; step++) {
        const user = pick(users)
        const group = pick(groups)
        const holder =
          next() < 0.5
            ? { kind: 'user' as const, id: user.id }
            : { kind: 'group' as const, id: group }
        const roll = next()
        if (roll < 0.2) {
          await addMember(t.db, group, user.id)
          members.add(`${group}:${user.id}`)
        } else if (roll < 0.3) {
          await removeMember(t.db, group, user.id)
          members.delete(`${group}:${user.id}`)
        } else if (roll < 0.31) {
          await grant(t.db, holder, [VIEW])
          modelWide.add(holderKey(holder))
        } else if (roll < 0.36) {
          await revoke(t.db, holder, [VIEW])
          modelWide.delete(holderKey(holder))
        } else {
          const g = { codename: pick(CODENAMES), objectType: pick(TYPES), objectId: '' }
          g.objectId = String(pick(objects))
          await grantOnObject(t.db, holder, g)
          onObjects.add(`${holderKey(holder)}|${g.codename}|${g.objectType}|${g.objectId}`)
        }
      }
      for (const user of users) {
        const holders = [
          `user:${user.id}`,
          ...groups.filter((g) => members.has(`${g}:${user.id}`)).map((g) => `group:${g}`),
        ]
        const everything = holders.some((h) => modelWide.has(h))
        const expected = objects.filter(
          (id) => everything || holders.some((h) => onObjects.has(`${h}|${VIEW}|${TYPE}|${id}`)),
        )
        const res = await app.inject({
          url: '/lists/?page_size=100',
          headers: { authorization: `Token ${user.token}` },
        })
        const seen = (res.json().results as { id: number }[]).map((r) => r.id)
        expect({ round, user: user.username, seen }).toEqual({
          round,
          user: user.username,
          seen: expected,
        })
      }
    }
  })
})
