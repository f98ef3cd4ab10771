import type { FastifyRequest } from 'fastify'
import { ApiError } from '../../errors.ts'
import { objectAllows, viewAllows } from '../../permissions/evaluate.ts'
import type { Method, RouteMatch, RouteTable } from '../../route-table.ts'

/** A method the page may offer a form or button for, with its route. */
export interface OfferedMethod {
  method: Method
  match: RouteMatch
}

/**
 * Whether this user would pass a method's view and object permissions on this path (DRF's
 * show_form_for_method): the same permission objects, asked as if the request used that method.
 * The object is the one the request loaded and passed the object checks for; with none and
 * `loadObjects` (OPTIONS), the route loads it as it would for that method, and a 404 or 403 there
 * means no.
 */
async function mayUse(
  request: FastifyRequest,
  method: Method,
  match: RouteMatch,
  loadObjects: boolean,
) {
  const { access, loadObject } = match.entry
  const asked = Object.create(request, {
    method: { value: method },
    params: { value: match.params },
    access: { value: access, writable: true },
    checkedObject: { value: null, writable: true },
  }) as FastifyRequest
  const obj = request.checkedObject
  for (const p of access.permissions) {
    if (!(await viewAllows(p, asked, access.view))) return false
    if (obj && !(await objectAllows(p, asked, access.view, obj))) return false
  }
  if (obj || !loadObject || !loadObjects) return true
  try {
    await loadObject(asked)
    return true
  } catch (err) {
    if (err instanceof ApiError) return false
    throw err
  }
}

/**
 * The unsafe methods of a path this request's user may use, in the order given; `loadObjects`
 * loads a detail's object where the request has none checked.
 */
export async function offeredMethods(
  request: FastifyRequest,
  table: RouteTable,
  path: string,
  methods: readonly Method[],
  loadObjects = false,
): Promise<OfferedMethod[]> {
  const offered: OfferedMethod[] = []
  for (const method of methods) {
    const match = table.find(method, path)
    if (match && (await mayUse(request, method, match, loadObjects)))
      offered.push({ method, match })
  }
  return offered
}
