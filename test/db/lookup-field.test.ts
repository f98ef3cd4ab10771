import { Router, type SetupError, viewset } from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type GuildApp,
  type GuildUser,
  guildApp,
  guildViewset,
  questViewset,
} from '../helpers/guild-app.ts'

describe('lookupField: objects found by a unique field', () => {
  let t: GuildApp
  let ann: GuildUser
  let bob: GuildUser
  let uid: string

  beforeAll(async () => {
    t = await guildApp(
      new Router()
        .register('guilds', guildViewset('slug'))
        .register('halls', guildViewset('uid'))
        .register('lodges', viewset({ ...guildViewset('slug'), lookupParam: 'lodge_slug' })),
    )
    ann = await t.user('ann')
    bob = await t.user('bob')
    uid = (await t.guild(ann, 'north-star')).uid
  })
  afterAll(() => t?.close())

  it('serves the detail at the slug, and every detail action', async () => {
    const got = await t.request({ method: 'GET', url: '/guilds/north-star/', token: ann.token })
    expect(got.statusCode).toBe(200)
    expect(got.json()).toMatchObject({ slug: 'north-star', uid })
    const patched = await t.request({
      method: 'PATCH',
      url: '/guilds/north-star/',
      token: ann.token,
      json: { name: 'North' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ slug: 'north-star', name: 'North' })
  })

  it('answers 404 for a slug outside the scope, or a text that is no slug', async () => {
    for (const url of ['/guilds/north-star/', '/guilds/nope/', '/guilds/a%00b/', '/guilds/1/']) {
      const got = await t.request({ method: 'GET', url, token: bob.token })
      expect(got.statusCode, url).toBe(404)
    }
  })

  it('serves the detail at the uuid; a malformed uuid is a 404, never a 500', async () => {
    const got = await t.request({ method: 'GET', url: `/halls/${uid}/`, token: ann.token })
    expect(got.statusCode).toBe(200)
    expect(got.json()).toMatchObject({ slug: 'north-star' })
    const upper = await t.request({
      method: 'GET',
      url: `/halls/${uid.toUpperCase()}/`,
      token: ann.token,
    })
    expect([200, 404]).toContain(upper.statusCode)
    for (const bad of ['not-a-uuid', `${uid}x`, '1', `${uid.slice(0, 35)}g`]) {
      const miss = await t.request({ method: 'GET', url: `/halls/${bad}/`, token: ann.token })
      expect(miss.statusCode, bad).toBe(404)
      expect(miss.json()).toEqual({ detail: 'Not found.' })
    }
    const absent = await t.request({
      method: 'DELETE',
      url: `/halls/${crypto.randomUUID()}/`,
      token: ann.token,
    })
    expect(absent.statusCode).toBe(404)
  })

  it('names the path parameter after the field in OpenAPI', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json()
    for (const [path, name] of [
      ['/guilds/{slug}/', 'slug'],
      ['/halls/{uid}/', 'uid'],
    ]) {
      const params = doc.paths[path].get.parameters as { name: string; in: string }[]
      expect(params, path).toContainEqual(expect.objectContaining({ name, in: 'path' }))
    }
  })

  it('takes the value from the parameter lookupParam names (lookup_url_kwarg)', async () => {
    const got = await t.request({ method: 'GET', url: '/lodges/north-star/', token: ann.token })
    expect(got.statusCode).toBe(200)
    expect(got.json()).toMatchObject({ slug: 'north-star', uid })
    const gone = await t.request({ method: 'DELETE', url: '/lodges/north-star/', token: bob.token })
    expect(gone.statusCode).toBe(404)
    const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.paths['/lodges/{slug}/']).toBeUndefined()
    const params = doc.paths['/lodges/{lodge_slug}/'].get.parameters as { name: string }[]
    expect(params).toContainEqual(expect.objectContaining({ name: 'lodge_slug', in: 'path' }))
  })

  it('refuses at start a lookupParam that is no plain name', () => {
    const bad = viewset({ ...guildViewset('slug'), lookupParam: 'slug/:x' })
    try {
      new Router().register('lodges', bad).mount({ route() {} } as never)
      expect.unreachable()
    } catch (err) {
      expect((err as SetupError).code).toBe('ERR_VIEWSET_LOOKUP_PARAM')
    }
  })

  it('refuses at start a lookup field that is not unique', () => {
    const loose = viewset({ ...questViewset, lookupField: 'title' })
    try {
      new Router().register('quests', loose).mount({ route() {} } as never)
      expect.unreachable()
    } catch (err) {
      expect((err as SetupError).code).toBe('ERR_VIEWSET_LOOKUP')
    }
  })
})
