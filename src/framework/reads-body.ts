import type { FastifyRequest } from 'fastify'

/**
 * What a scheme, permission or throttle declares when its check reads the parsed body
 * (`request.body`): the pipeline then waits for the body before running the route's checks for
 * that request. Without the declaration the checks run before the body is read, so a refusal
 * (401, 403, 429) never pays for reading or parsing it.
 */
export interface ReadsBody {
  /** Whether this check reads `request.body` for this request (method, headers, cookies). */
  readsBody?(request: FastifyRequest): boolean
}

/** Whether any of these checks reads the body for this request. */
export function anyReadsBody(checks: readonly ReadsBody[], request: FastifyRequest): boolean {
  for (const check of checks) if (check.readsBody?.(request) === true) return true
  return false
}
