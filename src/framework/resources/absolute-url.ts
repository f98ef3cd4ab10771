import type { FastifyRequest } from 'fastify'

/**
 * The request's URL with one query parameter set (or removed when `value` is null), absolute
 * and with sorted parameters, as DRF's `replace_query_param` builds pagination links.
 */
export function urlWithParam(request: FastifyRequest, key: string, value: string | null): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`)
  if (value === null) url.searchParams.delete(key)
  else url.searchParams.set(key, value)
  url.searchParams.sort()
  return url.toString()
}

/** An absolute URL for a path of this server (DRF's `request.build_absolute_uri(path)`). */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return new URL(path, `${request.protocol}://${request.host}`).toString()
}
