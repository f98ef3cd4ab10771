import { IsOwner, listsOnly, Router, type SetupError } from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type GuildApp,
  type GuildUser,
  guildApp,
  guildViewset,
  questViewset,
} from '../helpers/guild-app.ts'

const nestQuests = (router: Router) =>
  router.nest('guilds', 'quests', questViewset, { parentLookup: 'guild', parentField: 'guild_id' })

describe('nested routes: quests under their guild', () => {
  let t: GuildApp
  let ann: GuildUser
  let bob: GuildUser
  let alpha: { id: number; slug: string }
  let alpha2: { id: number; slug: string }
  let beta: { id: number; slug: string }
  let annQuest: number
  let bobQuest: number

  const quests = async () =>
    (await t.db.selectFrom('quests').select(['id', 'guild_id', 'title']).orderBy('id').execute())
      .map((q) => `${q.id}:${q.guild_id}:${q.title}`)
      .join(' ')

  beforeAll(async () => {
    // Under a prefix with the API root: the parent's route is found where it really is.
    t = await guildApp(nestQuests(new Router().register('guilds', guildViewset('slug'))), '/api')
    ann = await t.user('ann')
    bob = await t.user('bob')
    alpha = await t.guild(ann, 'alpha')
    alpha2 = await t.guild(ann, 'alpha2')
    beta = await t.guild(bob, 'beta')
    await t.guild(bob, 'fort', { open: true, locked: true })
    await t.guild(bob, 'market', { open: true })
    annQuest = await t.quest(alpha.id, 'dragon')
    bobQuest = await t.quest(beta.id, 'troll')
  })
  afterAll(() => t?.close())

  it("lists, reads, changes and deletes a guild's quests", async () => {
    const list = await t.request({
      method: 'GET',
      url: '/api/guilds/alpha/quests/',
      token: ann.token,
    })
    expect(list.statusCode).toBe(200)
    expect(list.json().results).toEqual([{ id: annQuest, guild_id: alpha.id, title: 'dragon' }])
    const one = await t.request({
      method: 'GET',
      url: `/api/guilds/alpha/quests/${annQuest}/`,
      token: ann.token,
    })
    expect(one.json()).toEqual({ id: annQuest, guild_id: alpha.id, title: 'dragon' })
    const extra = await t.quest(alpha.id, 'extra')
    const gone = await t.request({
      method: 'DELETE',
      url: `/api/guilds/alpha/quests/${extra}/`,
      token: ann.token,
    })
    expect(gone.statusCode).toBe(204)
    expect((await quests()).split(' ')).not.toContain(`${extra}:${alpha.id}:extra`)
  })

  it("creates in the URL's guild, whatever guild the body names", async () => {
    const made = await t.request({
      method: 'POST',
      url: '/api/guilds/alpha/quests/',
      token: ann.token,
      json: { title: 'hydra', guild_id: beta.id },
    })
    expect(made.statusCode).toBe(201)
    expect(made.json()).toMatchObject({ guild_id: alpha.id, title: 'hydra' })
    // Nor does an update move a quest to another guild.
    const moved = await t.request({
      method: 'PATCH',
      url: `/api/guilds/alpha/quests/${made.json().id}/`,
      token: ann.token,
      json: { guild_id: beta.id },
    })
    expect(moved.statusCode).toBe(200)
    expect(moved.json().guild_id).toBe(alpha.id)
  })

  it("answers 404 on every route under another user's guild, and writes nothing", async () => {
    const before = await quests()
    const detail = `/api/guilds/alpha/quests/${annQuest}/`
    for (const [method, url, json] of [
      ['GET', '/api/guilds/alpha/quests/', undefined],
      ['POST', '/api/guilds/alpha/quests/', { title: 'sneaky' }],
      ['GET', detail, undefined],
      ['PUT', detail, { title: 'sneaky' }],
      ['PATCH', detail, { title: 'sneaky' }],
      ['DELETE', detail, undefined],
      ['GET', '/api/guilds/nowhere/quests/', undefined],
      ['GET', '/api/guilds/a%00b/quests/', undefined],
    ] as const) {
      const got = await t.request({ method, url, token: bob.token, json })
      expect(got.statusCode, `${method} ${url}`).toBe(404)
      expect(got.json()).toEqual({ detail: 'Not found.' })
    }
    expect(await quests()).toBe(before)
  })

  it("never reaches a guild's quest under another guild", async () => {
    const before = await quests()
    const under = `/api/guilds/${alpha2.slug}/quests/`
    const list = await t.request({ method: 'GET', url: under, token: ann.token })
    expect(list.json().results).toEqual([])
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
      const json = method === 'PUT' || method === 'PATCH' ? { title: 'moved' } : undefined
      const got = await t.request({
        method,
        url: `${under}${annQuest}/`,
        token: ann.token,
        json,
      })
      expect(got.statusCode, method).toBe(404)
    }
    // Bob's quest is his guild's only, even under a guild Ann owns.
    const bobs = await t.request({
      method: 'GET',
      url: `/api/guilds/alpha/quests/${bobQuest}/`,
      token: ann.token,
    })
    expect(bobs.statusCode).toBe(404)
    expect(await quests()).toBe(before)
  })

  it("answers 403 as the guild's own GET does when its object permission refuses", async () => {
    const parent = await t.request({ method: 'GET', url: '/api/guilds/fort/', token: ann.token })
    expect(parent.statusCode).toBe(403)
    const before = await quests()
    for (const [method, json] of [
      ['GET', undefined],
      ['POST', { title: 'siege' }],
    ] as const) {
      const got = await t.request({
        method,
        url: '/api/guilds/fort/quests/',
        token: ann.token,
        json,
      })
      expect(got.statusCode, method).toBe(403)
      expect(got.json()).toEqual(parent.json())
    }
    expect(await quests()).toBe(before)
    // An open guild another user owns: readable, so are its quests.
    const open = await t.request({
      method: 'GET',
      url: '/api/guilds/market/quests/',
      token: ann.token,
    })
    expect(open.statusCode).toBe(200)
  })

  it('asks anonymous requests to authenticate, with the challenge', async () => {
    const got = await t.request({ method: 'GET', url: '/api/guilds/alpha/quests/' })
    expect(got.statusCode).toBe(401)
  })

  it('documents the path parameters in OpenAPI; the API root links top-level lists', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json()
    const detail = doc.paths['/api/guilds/{guild}/quests/{pk}/']
    const names = (detail.get.parameters as { name: string; in: string }[])
      .filter((p) => p.in === 'path')
      .map((p) => p.name)
    expect(names).toEqual(['guild', 'pk'])
    expect(doc.paths['/api/guilds/{guild}/quests/'].post).toBeDefined()
    const root = await t.request({ method: 'GET', url: '/api/', token: ann.token })
    expect(Object.keys(root.json())).toEqual(['guilds'])
  })
})

describe('nested routes: mistakes found at start', () => {
  const codeOf = (build: () => unknown) => {
    try {
      build()
    } catch (err) {
      return (err as SetupError).code
    }
    return null
  }

  it('refuses a parent that is not registered, or serves no retrieve', () => {
    expect(codeOf(() => nestQuests(new Router()))).toBe('ERR_NESTED_PARENT')
    const listOnly = { ...guildViewset(), actions: ['list' as const] }
    expect(codeOf(() => nestQuests(new Router().register('guilds', listOnly)))).toBe(
      'ERR_NESTED_PARENT',
    )
  })

  it("refuses a parent parameter that clashes with the child's, or a qualified column", () => {
    const router = () => new Router().register('guilds', guildViewset())
    const nest = (parentLookup: string, parentField: string) =>
      router().nest('guilds', 'quests', questViewset, { parentLookup, parentField })
    expect(codeOf(() => nest('pk', 'guild_id'))).toBe('ERR_NESTED_LOOKUP')
    expect(codeOf(() => nest('guild', 'quests.guild_id'))).toBe('ERR_NESTED_FIELD')
    expect(codeOf(() => nest('guild', 'guild_id'))).toBeNull()
  })
})

describe('nested routes under a parent scoped in lists alone', () => {
  let t: GuildApp
  let ann: GuildUser
  let bob: GuildUser

  beforeAll(async () => {
    // The guild list shows your own; a guild's URL loads any, and IsOwner answers another's 403.
    const guilds = {
      ...guildViewset('slug'),
      scope: listsOnly((request) => ({ 'guilds.owner_id': request.user!.id })),
      permissions: [IsOwner],
    }
    t = await guildApp(nestQuests(new Router().register('guilds', guilds)), '/api')
    ann = await t.user('ann')
    bob = await t.user('bob')
    await t.quest((await t.guild(ann, 'alpha')).id, 'dragon')
  })
  afterAll(() => t?.close())

  it("answers a child list of another's parent as a GET of that parent does: 403, not 404", async () => {
    const get = (url: string, token: string) => t.request({ method: 'GET', url, token })
    expect((await get('/api/guilds/alpha/', bob.token)).statusCode).toBe(403)
    expect((await get('/api/guilds/alpha/quests/', bob.token)).statusCode).toBe(403)
    expect((await get('/api/guilds/alpha/quests/', ann.token)).statusCode).toBe(200)
    expect((await get('/api/guilds/nowhere/quests/', ann.token)).statusCode).toBe(404)
  })
})
