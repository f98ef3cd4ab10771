import type { FastifyRequest } from 'fastify'
import { type SelectQueryBuilder, sql } from 'kysely'
import { queryParam } from './query-param.ts'

// biome-ignore lint/suspicious/noExplicitAny: a query over any tables; rows stay typed by O
type AnyQuery<O> = SelectQueryBuilder<any, any, O>

/**
 * `?ordering=-date_created,name` over the allowed columns (DRF's OrderingFilter): unknown names
 * are ignored, and with none left the default ordering applies.
 */
export function applyOrdering<O>(
  request: FastifyRequest,
  query: AnyQuery<O>,
  allowed: Record<string, string>,
  fallback: string[],
): AnyQuery<O> {
  const raw = queryParam(request, 'ordering')
  // Own keys only: `?ordering=valueOf` must not find Object.prototype's method (a 500).
  const asked = (raw ?? '')
    .split(',')
    .map((term) => term.trim())
    .filter((term) => Object.hasOwn(allowed, term.replace(/^-/, '')))
  let ordered = query
  for (const term of asked.length ? asked : fallback) {
    const desc = term.startsWith('-')
    const name = term.replace(/^-/, '')
    const column = Object.hasOwn(allowed, name) ? allowed[name] : name
    ordered = ordered.orderBy(sql.ref(column), desc ? 'desc' : 'asc')
  }
  return ordered
}

function likePattern(term: string) {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * `?search=a b` over text columns (DRF's SearchFilter, icontains): every term must match one of
 * the columns, case-insensitively, with LIKE wildcards in the terms taken literally.
 */
export function applySearch<O>(
  request: FastifyRequest,
  query: AnyQuery<O>,
  columns: string[],
): AnyQuery<O> {
  const raw = queryParam(request, 'search')
  if (!raw || columns.length === 0) return query
  const terms = raw
    .replace(/\0/g, '')
    .split(/[\s,]+/)
    .filter(Boolean)
  let filtered = query
  for (const term of terms) {
    const pattern = likePattern(term)
    filtered = filtered.where((eb) =>
      eb.or(columns.map((c) => eb(sql`lower(${sql.ref(c)})`, 'like', sql`${pattern} escape '\\'`))),
    )
  }
  return filtered
}
