import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { queryParam } from '../../../src/framework/index.ts'

const withQuery = (query: unknown) => ({ query }) as FastifyRequest

describe('queryParam', () => {
  it('reads a parameter as Django does: the last of repeated values, text only', () => {
    expect(queryParam(withQuery({ ordering: 'name' }), 'ordering')).toBe('name')
    expect(queryParam(withQuery({ ordering: ['name', '-id'] }), 'ordering')).toBe('-id')
    expect(queryParam(withQuery({}), 'ordering')).toBeUndefined()
    expect(queryParam(withQuery(undefined), 'ordering')).toBeUndefined()
    expect(queryParam(withQuery({ ordering: { nested: 'x' } }), 'ordering')).toBeUndefined()
  })
})
