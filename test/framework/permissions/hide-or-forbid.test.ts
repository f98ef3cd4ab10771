import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuthScheme,
  checkObjectPermissions,
  type HidingPermission,
  hideWhenDenied,
  IsAdminUser,
  installPipeline,
  NotFound,
} from '../../../src/framework/index.ts'

// The pipeline's hide-or-forbid rule on plain routes: no viewset, no database.
const HeaderScheme: AuthScheme = {
  name: 'header',
  challenge: 'Header realm="test"',
  authenticate(request) {
    const who = request.headers['x-user']
    if (who === undefined) return null
    const user = { id: String(who), username: String(who), is_active: true, is_superuser: false }
    return { user: { ...user, is_staff: who === 'staff' }, auth: null }
  },
}

// Only "public" objects may be known to exist; no object may be changed.
const ReadOnlyPublic: HidingPermission = {
  message: 'Read only.',
  hasObjectPermission: (request, _view, obj) => request.method === 'GET' && obj.public === true,
  hides: (_request, _view, obj) => obj?.public !== true,
}
const BrokenHides: HidingPermission = {
  hasPermission: () => false,
  hides: () => {
    throw new Error('boom')
  },
}

let app: FastifyInstance
beforeAll(async () => {
  app = Fastify()
  await installPipeline(app, { defaults: { authentication: [HeaderScheme] } })
  app.get('/staff/', { config: { permissions: [hideWhenDenied(IsAdminUser)] } }, async () => ({
    ok: true,
  }))
  const load = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string }
    await checkObjectPermissions(request, { id, public: id === 'public' })
    return { id }
  }
  app.get('/things/:id/', { config: { permissions: [ReadOnlyPublic] } }, load)
  app.patch('/things/:id/', { config: { permissions: [ReadOnlyPublic] } }, load)
  app.get('/broken/', { config: { permissions: [BrokenHides] } }, async () => ({}))
  app.get('/missing/', { config: { permissions: [] } }, async () => {
    throw new NotFound()
  })
  await app.ready()
})
afterAll(() => app?.close())

const get = (url: string, user?: string, method: 'GET' | 'PATCH' = 'GET') =>
  app.inject({ method, url, headers: user ? { 'x-user': user } : {} })

describe('hide or forbid', () => {
  it('answers a hidden denial exactly as a missing object', async () => {
    const missing = await get('/missing/', 'alice')
    const hidden = await get('/staff/', 'alice')
    expect(hidden.statusCode).toBe(404)
    expect(hidden.body).toBe(missing.body)
    const { date: _a, ...hiddenHeaders } = hidden.headers
    const { date: _b, ...missingHeaders } = missing.headers
    expect(hiddenHeaders).toEqual(missingHeaders)
    expect((await get('/staff/', 'staff')).json()).toEqual({ ok: true })
  })

  it('still asks an anonymous request to log in first (401 before 404)', async () => {
    const res = await get('/staff/')
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Header realm="test"')
  })

  it('lets the permission decide per object: 404 when unknowable, 403 when visible', async () => {
    expect((await get('/things/public/', 'alice')).statusCode).toBe(200)
    const forbidden = await get('/things/public/', 'alice', 'PATCH')
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json()).toEqual({ detail: 'Read only.' })
    const hidden = await get('/things/private/', 'alice', 'PATCH')
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json()).toEqual({ detail: 'Not found.' })
  })

  it('hides when `hides` throws: revealing less is the safe side', async () => {
    expect((await get('/broken/', 'alice')).statusCode).toBe(404)
  })
})
