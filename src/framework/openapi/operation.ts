import { STATUS_CODES } from 'node:http'
import type { TSchema } from '@sinclair/typebox'
import type { ResolvedAccess } from '../access.ts'
import { errorResponse, errorStatuses } from './error-responses.ts'
import { type JsonSchema, toJsonSchema } from './json-schema.ts'
import { requestBody } from './request-body.ts'
import type { CatalogedRoute } from './route-catalog.ts'
import { summaryOf } from './summary.ts'

/** An OpenAPI operation object. */
export type Operation = Record<string, unknown>

const PARAM = /:([A-Za-z0-9_]+)(\([^)]*\))?/g

/** Fastify's `/things/:pk/` as OpenAPI's `/things/{pk}/`. */
export function openApiPath(url: string): string {
  return url.replace(PARAM, '{$1}')
}

/** The names of a Fastify path's parameters, in order. */
export function pathParameters(url: string): string[] {
  return [...url.matchAll(PARAM)].map((m) => m[1])
}

function queryParameters(route: CatalogedRoute) {
  const query = route.config.query ? toJsonSchema(route.config.query) : null
  if (!query) return []
  const required = new Set((query.required as string[] | undefined) ?? [])
  return Object.entries((query.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, schema]) => {
      const { description, ...rest } = schema
      return {
        name,
        in: 'query',
        required: required.has(name),
        ...(description !== undefined && { description }),
        schema: rest,
      }
    },
  )
}

function response(status: number, schema: TSchema | null | undefined) {
  const description = STATUS_CODES[status] ?? `HTTP ${status}`
  if (!schema) return { description }
  return { description, content: { 'application/json': { schema: toJsonSchema(schema) } } }
}

// Fastify's response map, by status: what the handler answers when it succeeds.
function declaredResponses(route: CatalogedRoute): Map<number, TSchema | null> {
  const declared = new Map<number, TSchema | null>()
  const fromSchema = (route.schema.response ?? {}) as Record<string, TSchema>
  for (const [status, schema] of Object.entries(fromSchema)) {
    if (/^\d{3}$/.test(status)) declared.set(Number(status), schema)
  }
  for (const [status, schema] of Object.entries(route.config.responses ?? {})) {
    declared.set(Number(status), schema)
  }
  // A delete that declares nothing answers 204 with no body, as every destroy does.
  const succeeds = [...declared.keys()].some((s) => s >= 200 && s < 300)
  if (!succeeds && route.method === 'DELETE') declared.set(204, null)
  return declared
}

/** What an operation is built from: the route, its resolved access and its security. */
export interface OperationSource {
  route: CatalogedRoute
  access: ResolvedAccess
  /** OpenAPI security requirements: one per scheme, `{}` when anonymous requests may pass. */
  security: Record<string, string[]>[]
}

/** The OpenAPI operation of one method of one route. */
export function operationOf({ route, access, security }: OperationSource): Operation {
  const { config } = route
  const paramNames = pathParameters(route.url)
  const query = queryParameters(route)
  // One route may serve GET and POST: a body is read by the methods that send one.
  const body = config.body && route.method !== 'GET' ? toJsonSchema(config.body) : null
  const declared = declaredResponses(route)
  const responses: Record<string, unknown> = {}
  for (const status of errorStatuses({
    access,
    takesBody: body !== null,
    searches: query.some((p) => p.name === 'search'),
    names: paramNames.length > 0 || query.some((p) => p.name === 'page'),
  })) {
    if (!declared.has(status)) responses[status] = errorResponse(status)
  }
  for (const [status, schema] of declared) {
    // An error the handler gives itself has the pipeline's error body unless it names another.
    responses[status] =
      schema === null && status >= 400 ? errorResponse(status) : response(status, schema)
  }
  const ordered = Object.fromEntries(
    Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
  )
  return {
    tags: [access.view.name],
    summary: config.summary ?? summaryOf(access.view),
    parameters: [
      ...paramNames.map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...query,
    ],
    ...(body && { requestBody: requestBody(body) }),
    responses: ordered,
    security,
  }
}
