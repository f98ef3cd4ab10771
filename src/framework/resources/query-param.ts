import type { FastifyRequest } from 'fastify'

/**
 * One query parameter as text (DRF's `request.query_params.get`): the last value when the name
 * is repeated (`?ordering=a&ordering=b`), undefined when absent; never an array.
 */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name]
  const last = Array.isArray(value) ? value[value.length - 1] : value
  return typeof last === 'string' ? last : undefined
}
