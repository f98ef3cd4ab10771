import { Type } from '@sinclair/typebox'
import type { RouteOptions } from 'fastify'
import { absoluteUrl } from './absolute-url.ts'

/**
 * `GET {root}`: a link to each list the router mounts there, keyed by its prefix (DRF's
 * DefaultRouter API root view), with the server's default authentication and permissions.
 */
export function routerRootRoute(root: string, prefixes: string[]): RouteOptions {
  const links = Type.Object(Object.fromEntries(prefixes.map((p) => [p, Type.String()])))
  return {
    method: 'GET',
    url: root,
    config: { view: { name: 'api-root', action: 'list' } },
    schema: { response: { 200: links } },
    // Under a plugin's prefix the root is where the route ended up, not where it was declared.
    prefixTrailingSlash: 'slash',
    handler: (request) => {
      const at = request.routeOptions.url ?? root
      return Object.fromEntries(prefixes.map((p) => [p, absoluteUrl(request, `${at}${p}/`)]))
    },
  }
}
