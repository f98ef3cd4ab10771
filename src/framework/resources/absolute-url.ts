import type { FastifyRequest } from 'fastify'

/**
 * The request's URL with one query parameter set (or removed when `value` is null), absolute
 * and with sorted parameters, as DRF's `replace_query_param` builds pagination links.
 */
export function urlWithParam(request: FastifyRequest, key: string, value: string | null): string {
  return urlWithParams(request, { [key]: value })
}

/** The request's URL with each of `params` set (or removed when null), as `urlWithParam`. */
export function urlWithParams(
  request: FastifyRequest,
  params: Record<string, string | null>,
): string {
  const keys = Object.keys(params)
  if (
    PLAIN_PATH.test(request.url) &&
    keys.every(
      (key) => SIMPLE_PARAM.test(key) && (params[key] === null || SIMPLE_PARAM.test(params[key])),
    )
  ) {
    // A path with no query and nothing URL would rewrite: the link is known without parsing
    // (a list page's next link, on every request).
    const link = `${origin(request)}${request.url}`
    const set = keys.sort().filter((key) => params[key] !== null)
    return set.length ? `${link}?${set.map((key) => `${key}=${params[key]}`).join('&')}` : link
  }
  const url = new URL(request.url, `${request.protocol}://${request.host}`)
  for (const key of keys) {
    const value = params[key]
    if (value === null) url.searchParams.delete(key)
    else url.searchParams.set(key, value)
  }
  url.searchParams.sort()
  return url.toString()
}

// Characters URL and URLSearchParams keep as they are, with no `.` segment to resolve. Each
// segment starts at its slash, so the match is linear: the path is the client's (no ReDoS).
const PLAIN_PATH =
  /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/$|^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/
const SIMPLE_PARAM = /^[A-Za-z0-9_-]+$/

// The Host header is the client's: the origin it names is normalized by URL once, then kept,
// in a map bounded so that a client cycling through hosts cannot grow it.
const origins = new Map<string, string>()
function origin(request: FastifyRequest): string {
  const given = `${request.protocol}://${request.host}`
  let normal = origins.get(given)
  if (normal === undefined) {
    normal = new URL(given).origin
    if (origins.size >= 100) origins.clear()
    origins.set(given, normal)
  }
  return normal
}

/** An absolute URL for a path of this server (DRF's `request.build_absolute_uri(path)`). */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return new URL(path, `${request.protocol}://${request.host}`).toString()
}
