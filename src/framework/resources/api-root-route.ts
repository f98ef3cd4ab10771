import { Type } from '@sinclair/typebox'
import type { RouteOptions } from 'fastify'
import { absoluteUrl } from './absolute-url.ts'
import { API_ROOT_VIEW } from './view-name.ts'

/**
 * `GET {root}`: a link to each list under it, keyed by its prefix (DRF's DefaultRouter API root
 * view), with the server's default authentication and permissions. A router mounts one for its
 * viewsets; an app of plain routes adds one with `app.route(apiRootRoute('/', ['organizations']))`.
 * The server's root page (`/`) links to every one of them.
 */
export function apiRootRoute(root: string, prefixes: string[]): RouteOptions {
  const links = Type.Object(Object.fromEntries(prefixes.map((p) => [p, Type.String()])))
  return {
    method: 'GET',
    url: root,
    config: { view: { name: API_ROOT_VIEW, action: 'list' }, apiRoot: true },
    schema: { response: { 200: links } },
    // Under a plugin's prefix the root is where the route ended up, not where it was declared.
    prefixTrailingSlash: 'slash',
    handler: (request) => {
      const at = request.routeOptions.url ?? root
      return Object.fromEntries(prefixes.map((p) => [p, absoluteUrl(request, `${at}${p}/`)]))
    },
  }
}
