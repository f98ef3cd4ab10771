import type { FastifyContextConfig, FastifyInstance, FastifySchema, RouteOptions } from 'fastify'

/** One method of one route, as registered. */
export interface CatalogedRoute {
  readonly method: string
  /** Fastify's path, `:name` parameters and all. */
  readonly url: string
  readonly config: FastifyContextConfig
  readonly schema: FastifySchema
}

// Fastify answers HEAD for every GET on its own, and OPTIONS comes from the pipeline: neither is
// an operation of its own.
const DOCUMENTED = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Record every route registered from now on (an `onRoute` hook: install it before the routes);
 * routes whose config says `openapi: false` are left out.
 */
export function catalogRoutes(app: FastifyInstance): readonly CatalogedRoute[] {
  const routes: CatalogedRoute[] = []
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as FastifyContextConfig
    if (config.openapi === false || !route.url) return
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      if (!DOCUMENTED.has(method)) continue
      routes.push({ method, url: route.url, config, schema: route.schema ?? {} })
    }
  })
  return routes
}
