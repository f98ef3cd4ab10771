import type { FastifyRequest } from 'fastify'
import type { RouteTable } from '../route-table.ts'
import { absoluteUrl } from './absolute-url.ts'

// The OpenAPI document and its reference page, where `openApiRoutes` serves them.
const DESCRIPTIONS: [string, string][] = [
  ['docs', '/docs'],
  ['openapi', '/openapi.json'],
]

/**
 * What the server's root page (`GET /`) answers: a link to every API root the server mounts,
 * keyed by its path (`api/v1`), then to the API reference page and the OpenAPI document when
 * served, so that a newcomer finds them all. Built from the routes as registered.
 */
export function siteRoot(request: FastifyRequest, table: RouteTable): Record<string, string> {
  const links: Record<string, string> = {}
  for (const path of table.apiRoots()) {
    const key = path.replace(/^\/+|\/+$/g, '')
    if (key && !Object.hasOwn(links, key)) links[key] = absoluteUrl(request, path)
  }
  for (const [key, path] of DESCRIPTIONS) {
    if (table.find('GET', path) && !Object.hasOwn(links, key)) {
      links[key] = absoluteUrl(request, path)
    }
  }
  return links
}
