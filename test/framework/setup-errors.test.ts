import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import {
  f,
  installPipeline,
  isOwner,
  type Permission,
  parseRate,
  resourceSchema,
  ScopedRateThrottle,
  SetupError,
  viewset,
  viewsetRoutes,
} from '../../src/framework/index.ts'

const Schema = resourceSchema('thing', { id: f.integer({ readOnly: true }), name: f.string() })

function codeOf(work: () => unknown): string | undefined {
  try {
    work()
  } catch (err) {
    return err instanceof SetupError ? err.code : `not a SetupError: ${String(err)}`
  }
  return undefined
}

describe('setup errors are thrown at registration, with a code', () => {
  it('a viewset without a query', () => {
    const vs = viewset({ basename: 'thing', table: 'users', schema: Schema } as never)
    expect(codeOf(() => viewsetRoutes('things', vs))).toBe('ERR_VIEWSET_QUERY')
  })

  it('a pk that is not a field', () => {
    const vs = viewset({
      basename: 'thing',
      table: 'users',
      schema: Schema,
      pk: 'uuid',
      query: () => null,
    } as never)
    expect(codeOf(() => viewsetRoutes('things', vs))).toBe('ERR_VIEWSET_PK')
  })

  it('an unknown action', () => {
    const vs = viewset({
      basename: 'thing',
      table: 'users',
      schema: Schema,
      actions: ['lsit'],
      query: () => null,
    } as never)
    expect(codeOf(() => viewsetRoutes('things', vs))).toBe('ERR_VIEWSET_ACTION')
  })

  it('a permission factory passed uncalled', async () => {
    const app = Fastify()
    await installPipeline(app)
    const factory = isOwner as unknown as Permission
    expect(
      codeOf(() => app.get('/x', { config: { permissions: [factory] } }, async () => ({}))),
    ).toBe('ERR_PERMISSION_SHAPE')
  })
  it('a policy for an action the viewset does not serve', () => {
    const vs = viewset({
      basename: 'thing',
      table: 'users',
      schema: Schema,
      actions: ['list'],
      policies: { retreive: { permissions: [] } },
      query: () => null,
    } as never)
    expect(codeOf(() => viewsetRoutes('things', vs))).toBe('ERR_VIEWSET_POLICY')
  })

  it('a scoped throttle on a plain route whose scope has no rate', async () => {
    const app = Fastify()
    await installPipeline(app, { throttling: { rates: { uploads: parseRate('1/min') } } })
    const route = (scope: string) => () =>
      app.post(
        `/${scope}`,
        { config: { throttles: [ScopedRateThrottle(scope)] } },
        async () => ({}),
      )
    expect(codeOf(route('uploads'))).toBeUndefined()
    expect(codeOf(route('upload'))).toBe('ERR_THROTTLE_RATE')
  })
})
