import type { FastifyInstance } from 'fastify'
import { buildDocument, type OpenApiDocument, type OpenApiInfo } from './document.ts'
import { catalogRoutes } from './route-catalog.ts'

/** A server's OpenAPI description, built once its routes are all registered. */
export interface OpenApi {
  readonly info: OpenApiInfo
  /** The document (built on first call, then the same object). */
  document(): Promise<OpenApiDocument>
}

/**
 * Start describing a server: every route registered from now on is recorded, with the access the
 * pipeline resolved for it. Call it right after `installPipeline` and before any route.
 */
export function installOpenApi(app: FastifyInstance, info: OpenApiInfo): OpenApi {
  if (!app.hasDecorator('routeTable')) {
    throw new Error('installOpenApi(app) needs the pipeline: call installPipeline(app) first')
  }
  const routes = catalogRoutes(app)
  let built: Promise<OpenApiDocument> | undefined
  return {
    info,
    document() {
      if (!built) {
        built = buildDocument({
          routes,
          // The pipeline's own resolution (defaults filled in), found by the route's pattern.
          accessOf: (route) => app.routeTable.find(route.method, route.url)?.entry.access ?? null,
          info,
        })
        // A failure is not kept: the next request tries again.
        built.catch(() => {
          built = undefined
        })
      }
      return built
    },
  }
}
