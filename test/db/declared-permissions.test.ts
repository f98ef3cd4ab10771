import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  action,
  declaredPermissions,
  declarePermissions,
  exposedPermissions,
  f,
  Router,
  resourceSchema,
  ruleFor,
  TokenScheme,
  viewset,
} from '../../src/framework/index.ts'
import { detailView, requestAs, someUser } from '../framework/permissions/fake-request.ts'
import { routerApp } from '../helpers/router-app.ts'
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts'

// DRY REST permissions: rules declared next to the model, one permission class enforcing them,
// and the opt-in `permissions` field computed from the same rules, over real HTTP and SQL.

interface Note extends Record<string, unknown> {
  id: number
  name: string
  owner: string
  owner_id: string
}

const isOwner = (request: { user: { id: string } | null }, note: Note) =>
  request.user !== null && note.owner_id === request.user.id

const rules = declarePermissions<Note>({
  global: {
    read: () => true,
    write: (request) => request.user !== null,
    // Action-specific beats write: only staff create, though any user may write.
    create: (request) => request.user?.is_staff === true,
  },
  object: {
    read: () => true,
    write: isOwner,
    // A kept note survives even its owner; a broken rule (it throws) must deny.
    destroy: (request, note) => isOwner(request, note) && !note.name.startsWith('keep'),
    update: (request, note) => {
      if (note.name === 'boom') throw new Error('a rule with a bug')
      return isOwner(request, note)
    },
    // A custom action anyone may run on any note.
    shout: () => true,
  },
})

const ACTIONS = ['read', 'write', 'update', 'destroy', 'shout'] as const
const exposed = exposedPermissions(rules, ACTIONS)

const fields = {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255, unique: true }),
  owner: f.string({ readOnly: true }),
}
const query = (db: TestApp['db']) =>
  db
    .selectFrom('bucketlists')
    .innerJoin('users', 'users.id', 'bucketlists.owner_id')
    .select([
      'bucketlists.id',
      'bucketlists.name',
      'users.username as owner',
      'bucketlists.owner_id',
    ])

const common = {
  table: 'bucketlists' as const,
  authentication: [TokenScheme],
  permissions: [declaredPermissions(rules)],
  query,
  performCreate: (request: { user: { id: string } | null }, data: { name?: string }) => ({
    name: data.name,
    owner_id: request.user!.id,
    date_created: new Date().toISOString(),
    date_modified: new Date().toISOString(),
  }),
}

/** The opted-in viewset: every note says what the requester may do with it. */
const notes = viewset({
  ...common,
  basename: 'note',
  schema: resourceSchema('note', { ...fields, permissions: exposed.field }),
  present: exposed.present,
  extraActions: {
    shout: action({
      detail: true,
      methods: ['POST'],
      async handler(_request, _reply, { getObject }) {
        const note = (await getObject()) as Note
        return { shouted: note.name.toUpperCase() }
      },
    }),
  },
})

/** The same rules without the field: the body stays the plain resource. */
const plainNotes = viewset({
  ...common,
  basename: 'plain-note',
  schema: resourceSchema('note', fields),
})

let t: TestApp
let app: FastifyInstance
let alice: TestUser
let bob: TestUser
let staff: TestUser
let ids: Record<string, number>

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('alice')
  bob = await t.user('bob')
  staff = await t.user('staff', { is_staff: true })
  app = await routerApp(t, new Router().register('notes', notes).register('plain', plainNotes))
  ids = {}
  for (const name of ['mine', 'keep me', 'boom']) {
    const row = await t.db
      .insertInto('bucketlists')
      .values({
        name,
        owner_id: alice.id,
        date_created: new Date().toISOString(),
        date_modified: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[name] = row.id
  }
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

function call(user: TestUser | null, method: string, url: string, json?: unknown) {
  return app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(user && { authorization: `Token ${user.token}` }),
      ...(json !== undefined && { 'content-type': 'application/json' }),
    },
    payload: json === undefined ? undefined : JSON.stringify(json),
  })
}

describe('rule resolution (DRY REST order)', () => {
  const set = { read: 'R', write: 'W', update: 'U', shout: 'S' }

  it('takes the action’s own rule first, then read or write', () => {
    expect(ruleFor(set, 'update')).toBe('U')
    expect(ruleFor(set, 'shout', 'POST')).toBe('S')
    expect(ruleFor(set, 'destroy')).toBe('W')
    expect(ruleFor(set, 'create', 'POST')).toBe('W')
    expect(ruleFor(set, 'list', 'GET')).toBe('R')
    expect(ruleFor(set, 'retrieve')).toBe('R')
  })

  it('lets partial_update fall back to update before write', () => {
    expect(ruleFor(set, 'partial_update', 'PATCH')).toBe('U')
    expect(ruleFor({ ...set, partial_update: 'P' }, 'partial_update', 'PATCH')).toBe('P')
    expect(ruleFor({ read: 'R', write: 'W' }, 'partial_update', 'PATCH')).toBe('W')
  })

  it('sends a custom action to read or write by its method', () => {
    expect(ruleFor(set, 'export', 'GET')).toBe('R')
    expect(ruleFor(set, 'export', 'POST')).toBe('W')
  })

  it('finds nothing when neither the action nor read/write is declared', () => {
    expect(ruleFor({ read: 'R' }, 'destroy')).toBeUndefined()
    // Inherited names are no rules: a prototype's "constructor" never grants anything.
    expect(ruleFor({ write: 'W' }, 'constructor', 'GET')).toBeUndefined()
  })
})

describe('declaredPermissions, the one permission class', () => {
  const alicesNote: Note = { id: 1, name: 'n', owner: 'alice', owner_id: 'alice' }
  const view = (action: string) => ({ ...detailView, action })

  it('checks the global level before the object and the object level after', async () => {
    const p = declaredPermissions(rules)
    const anonPost = requestAs(null, 'POST')
    expect(await p.hasPermission!(anonPost, view('create'))).toBe(false)
    const bobPatch = requestAs(someUser('bob'), 'PATCH')
    expect(await p.hasPermission!(bobPatch, view('partial_update'))).toBe(true)
    expect(await p.hasObjectPermission!(bobPatch, view('partial_update'), alicesNote)).toBe(false)
  })

  it('does not check a level the rules leave out', async () => {
    const onlyObject = declaredPermissions({ object: { read: () => true, write: () => false } })
    expect(await onlyObject.hasPermission!(requestAs(null, 'DELETE'), view('destroy'))).toBe(true)
    const onlyGlobal = declaredPermissions({ global: { read: () => true } })
    const obj = alicesNote
    expect(await onlyGlobal.hasObjectPermission!(requestAs(null), view('retrieve'), obj)).toBe(true)
  })

  it('denies an action a declared level has no rule for', async () => {
    const readOnly = declaredPermissions({ global: { read: () => true } })
    expect(await readOnly.hasPermission!(requestAs(someUser('a'), 'POST'), view('create'))).toBe(
      false,
    )
  })

  it('carries its own denial message', () => {
    expect(declaredPermissions(rules, { message: 'Not yours.' }).message).toBe('Not yours.')
  })
})

describe('the rules enforced over HTTP', () => {
  it('lets anyone read, and asks an anonymous writer to log in', async () => {
    expect((await call(null, 'GET', '/notes/')).statusCode).toBe(200)
    expect((await call(null, 'GET', `/notes/${ids.mine}/`)).statusCode).toBe(200)
    const res = await call(null, 'POST', '/notes/', { name: 'anon' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Token')
  })

  it('lets the create rule beat write: a user may write but only staff create', async () => {
    const refused = await call(alice, 'POST', '/notes/', { name: 'by alice' })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toEqual({ detail: 'You do not have permission to perform this action.' })
    const made = await call(staff, 'POST', '/notes/', { name: 'by staff' })
    expect(made.statusCode).toBe(201)
    expect(made.json()).toMatchObject({
      name: 'by staff',
      permissions: { read: true, write: true, update: true, destroy: true, shout: true },
    })
  })

  it('lets only the owner change a note (object write)', async () => {
    expect((await call(bob, 'PATCH', `/notes/${ids.mine}/`, { name: 'bob' })).statusCode).toBe(403)
    const own = await call(alice, 'PATCH', `/notes/${ids.mine}/`, { name: 'mine!' })
    expect(own.statusCode).toBe(200)
    expect(own.json()).toMatchObject({ name: 'mine!', permissions: { update: true } })
  })

  it('lets the destroy rule beat write: a kept note survives its owner', async () => {
    expect((await call(alice, 'DELETE', `/notes/${ids['keep me']}/`)).statusCode).toBe(403)
    expect((await call(bob, 'DELETE', `/notes/${ids.mine}/`)).statusCode).toBe(403)
  })

  it('lets a custom action’s rule beat write', async () => {
    const res = await call(bob, 'POST', `/notes/${ids.mine}/shout/`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ shouted: 'MINE!' })
  })

  it('denies when a rule throws, even for the owner', async () => {
    expect((await call(alice, 'PATCH', `/notes/${ids.boom}/`, { name: 'x' })).statusCode).toBe(403)
  })
})

describe('the opt-in permissions field', () => {
  type Listed = { name: string; permissions: Record<string, boolean> }
  async function fieldsFor(user: TestUser | null) {
    const res = await call(user, 'GET', '/notes/?ordering=id')
    const results = (res.json() as { results: Listed[] }).results
    return Object.fromEntries(results.map((r) => [r.name, r.permissions]))
  }

  it('tells the owner what they may do, note by note', async () => {
    const seen = await fieldsFor(alice)
    expect(seen['mine!']).toEqual({
      read: true,
      write: true,
      update: true,
      destroy: true,
      shout: true,
    })
    expect(seen['keep me']).toEqual({
      read: true,
      write: true,
      update: true,
      destroy: false,
      shout: true,
    })
    // The broken update rule shows as denied; write, which the same user holds, still shows.
    expect(seen.boom).toEqual({
      read: true,
      write: true,
      update: false,
      destroy: true,
      shout: true,
    })
  })

  it('tells another user and an anonymous one less', async () => {
    const bobs = await fieldsFor(bob)
    expect(bobs['mine!']).toEqual({
      read: true,
      write: false,
      update: false,
      destroy: false,
      shout: true,
    })
    // Anonymous: the global write rule already says no, so even the open shout rule is hidden.
    const anons = await fieldsFor(null)
    expect(anons['mine!']).toEqual({
      read: true,
      write: false,
      update: false,
      destroy: false,
      shout: false,
    })
  })

  it('is in detail bodies too, keyed in the declared order', async () => {
    const res = await call(bob, 'GET', `/notes/${ids.mine}/`)
    expect(res.body).toMatch(
      /,"permissions":\{"read":true,"write":false,"update":false,"destroy":false,"shout":true\}\}$/,
    )
  })

  it('is absent unless the viewset opts in', async () => {
    const res = await call(alice, 'GET', `/plain/${ids.mine}/`)
    expect(res.json()).toEqual({ id: ids.mine, name: 'mine!', owner: 'alice' })
  })

  it('is read-only: a posted value is ignored', async () => {
    const res = await call(alice, 'PATCH', `/notes/${ids.mine}/`, {
      permissions: { destroy: false },
    })
    expect(res.json()).toMatchObject({ permissions: { destroy: true } })
  })

  it('has a JSON Schema of booleans, one per action', () => {
    expect(exposed.field.jsonSchema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(ACTIONS.map((a) => [a, { type: 'boolean' }])),
    })
    expect(exposed.field.options.readOnly).toBe(true)
  })
})
