import type { ResolvedAccess } from '../access.ts'
import { AllowAny } from '../permissions/allow-any.ts'

/** The two error bodies, as component schemas. */
export const ERROR_SCHEMAS = {
  // Every error but a validation error: DRF's `{"detail": "..."}` (JWT errors add `code`, `messages`).
  Detail: {
    type: 'object',
    properties: { detail: { type: 'string' } },
    required: ['detail'],
  },
  // A validation error: messages by field, and `non_field_errors` for the body as a whole.
  FieldErrors: {
    type: 'object',
    properties: { non_field_errors: { type: 'array', items: { type: 'string' } } },
    additionalProperties: { type: 'array', items: { type: 'string' } },
    examples: [{ name: ['This field is required.'] }],
  },
}

const detail = { $ref: '#/components/schemas/Detail' }

/** Why each pipeline error is given, for its response's description. */
const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: messages by field (and `non_field_errors`), or `detail` for a body that cannot be parsed.',
  401: 'No credentials or bad ones; `WWW-Authenticate` names the scheme to use.',
  403: 'Authenticated but not allowed (or a session request without its CSRF token).',
  404: 'No such object, or one the requester may not know about; also a page past the last.',
  405: 'The method is not allowed here.',
  406: 'No renderer matches the Accept header.',
  415: 'A body of a media type the route does not parse.',
  429: 'Too many requests; `Retry-After` says when to try again.',
}

/** What decides which errors a route can give. */
export interface ErrorContext {
  access: ResolvedAccess
  /** Whether the operation reads a body. */
  takesBody: boolean
  /** Whether it takes `?search=`, refused past its number of terms. */
  searches: boolean
  /** Whether the path names an object (it has parameters) or the route pages. */
  names: boolean
}

/** An OpenAPI response object for an error status. */
export function errorResponse(status: number): Record<string, unknown> {
  const schema =
    status === 400 ? { anyOf: [{ $ref: '#/components/schemas/FieldErrors' }, detail] } : detail
  return {
    description: DESCRIPTIONS[status] ?? 'An error.',
    content: { 'application/json': { schema } },
  }
}

/**
 * The error statuses the pipeline (and body parsing) can give on an operation: 400 and 415 when
 * it reads a body (400 too when it searches), 401 when its first scheme names a challenge, 403
 * when anyone can be refused, 404 when the path names an object or the list pages, 406 always,
 * 429 when throttled.
 */
export function errorStatuses({ access, takesBody, searches, names }: ErrorContext): number[] {
  const statuses = new Set<number>([406])
  if (takesBody) {
    statuses.add(400)
    statuses.add(415)
  }
  if (searches) statuses.add(400)
  const schemes = access.authentication
  if (schemes[0]?.challenge) statuses.add(401)
  // Bad credentials without a challenge, a missing CSRF token, or a permission that says no.
  if (schemes.length > 0 || access.permissions.some((p) => p !== AllowAny)) statuses.add(403)
  if (names) statuses.add(404)
  if (access.throttles.length > 0) statuses.add(429)
  return [...statuses].sort((a, b) => a - b)
}
