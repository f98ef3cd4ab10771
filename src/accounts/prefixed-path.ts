import type { FastifyInstance } from 'fastify'

/** Where `path` (absolute, as a route is declared) ends up under the plugin's prefix. */
export function prefixedPath(app: FastifyInstance, path: string): string {
  return `${app.prefix.replace(/\/+$/, '')}${path}`
}
