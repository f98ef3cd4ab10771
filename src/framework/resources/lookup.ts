import type { FastifyRequest } from 'fastify'
import { holdsNul } from '../db/storable-text.ts'
import { type ApiError, MethodNotAllowed, NotFound } from '../errors.ts'
import type { ObjectRow } from '../permissions/permission.ts'
import type { FieldMap } from '../schema/resource-schema.ts'
import type { ViewsetDefinition } from './viewset.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** How a viewset finds the object a detail URL names (DRF's lookup_field and lookup_url_kwarg). */
export interface Lookup {
  /** The schema field matched: `lookupField`, else the primary key. */
  field: string
  /**
   * The URL parameter holding the value: `lookupParam`, else the lookup field's name, or `pk` for
   * the primary key.
   */
  param: string
  /** The field's kind, which says how the URL's text becomes a value. */
  kind: string
}

/** The lookup of a viewset. */
export function lookupOf<F extends FieldMap, Row extends ObjectRow>(
  vs: ViewsetDefinition<F, Row>,
): Lookup {
  const pk = vs.pk ?? 'id'
  const field = vs.lookupField ?? pk
  return {
    field,
    param: vs.lookupParam ?? (field === pk ? 'pk' : field),
    kind: vs.schema.fields[field]?.kind ?? 'integer',
  }
}

/**
 * The value a URL's text names, matched against the lookup column. A malformed value (letters
 * for an integer, a broken UUID, a NUL that PostgreSQL refuses) names no object: 404, as Django's
 * get_object_or_404 answers, never a database error.
 */
export function parseLookup(kind: string, raw: string | undefined): number | string {
  if (raw === undefined) throw new NotFound()
  if (kind === 'integer') {
    if (!/^\d{1,15}$/.test(raw)) throw new NotFound()
    return Number(raw)
  }
  if (kind === 'uuid') {
    if (!UUID.test(raw)) throw new NotFound()
    // One UUID in any case, as Django's UUIDField reads it; stored in its canonical lower case.
    return raw.toLowerCase()
  }
  if (holdsNul(raw)) throw new NotFound()
  return raw
}

/**
 * The answer for a detail URL that names no object: 404, unless the path is another route's own
 * (`users/activation/` also fits `users/{pk}/`). DRF's router tries those URLs before the
 * detail's, so a method they lack is a 405 there, whatever the detail route would do.
 */
export function missing(request: FastifyRequest): ApiError {
  const path = request.url.split('?')[0] ?? ''
  const method = request.method === 'HEAD' ? 'GET' : request.method
  const served = request.server.routeTable?.methods(path) ?? []
  return served.length === 0 || (served as string[]).includes(method)
    ? new NotFound()
    : new MethodNotAllowed(request.method)
}

/** The lookup value a URL's text names, or the answer for a URL that names none. */
export function lookupValue(request: FastifyRequest, kind: string, raw: string | undefined) {
  try {
    return parseLookup(kind, raw)
  } catch {
    throw missing(request)
  }
}
