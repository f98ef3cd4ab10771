import type { ResolvedAccess } from '../access.ts'
import type { View } from '../resources/view.ts'
import { ERROR_SCHEMAS } from './error-responses.ts'
import { type Operation, openApiPath, operationOf } from './operation.ts'
import type { CatalogedRoute } from './route-catalog.ts'
import { securityOf } from './security.ts'
import { SECURITY_SCHEMES, type SecurityScheme } from './security-schemes.ts'

/** The document's `info`. */
export interface OpenApiInfo {
  title: string
  version: string
  description?: string
}

/** What the document is built from. */
export interface DocumentSource {
  routes: readonly CatalogedRoute[]
  /** The access the pipeline resolved for a route, or null for a route it does not gate. */
  accessOf(route: CatalogedRoute): ResolvedAccess | null
  info: OpenApiInfo
}

/** An OpenAPI 3.1 document. */
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Operation>>
}

// Readable and stable: the view's name and action, told apart by method, then path, if shared.
function operationId(taken: Set<string>, view: View, route: CatalogedRoute): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')
  const base = clean(`${view.name}_${view.action}`)
  const candidates = [
    base,
    `${base}_${route.method.toLowerCase()}`,
    `${base}_${route.method.toLowerCase()}_${clean(route.url)}`,
  ]
  let id = candidates.find((c) => !taken.has(c))
  for (let n = 2; id === undefined; n++) {
    id = taken.has(`${candidates[2]}_${n}`) ? undefined : `${candidates[2]}_${n}`
  }
  taken.add(id)
  return id
}

/** Build the OpenAPI 3.1 document of a server's routes. */
export async function buildDocument({
  routes,
  accessOf,
  info,
}: DocumentSource): Promise<OpenApiDocument> {
  const paths: OpenApiDocument['paths'] = {}
  const schemes: Record<string, SecurityScheme> = { ...SECURITY_SCHEMES }
  const taken = new Set<string>()
  for (const route of routes) {
    const access = accessOf(route)
    const path = openApiPath(route.url)
    const method = route.method.toLowerCase()
    // Fastify keeps the first of two registrations of a method and path; so does the document.
    if (!access || paths[path]?.[method]) continue
    const security = await securityOf(access, route.method, schemes)
    const operation = operationOf({ route, access, security })
    paths[path] ??= {}
    paths[path][method] = { operationId: operationId(taken, access.view, route), ...operation }
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: { schemas: ERROR_SCHEMAS, securitySchemes: schemes },
  }
}
