import type { FastifyRequest } from 'fastify'
import { type SelectQueryBuilder, sql } from 'kysely'
import { ValidationError } from '../errors.ts'
import { queryParam } from './query-param.ts'

/** At most this many distinct `?search=` terms: each is a condition, and SQLite nests them. */
export const MAX_SEARCH_TERMS = 32

// biome-ignore lint/suspicious/noExplicitAny: a query over any tables; rows stay typed by O
export type AnyQuery<O> = SelectQueryBuilder<any, any, O>

/** One term of an ORDER BY: a column and its direction. */
export interface OrderTerm {
  column: string
  desc: boolean
}

/**
 * `?ordering=-date_created,name` over the allowed columns (DRF's OrderingFilter): unknown names
 * are ignored, and with none left the default ordering applies.
 */
export function orderingTerms(
  request: FastifyRequest,
  allowed: Record<string, string>,
  fallback: string[],
): OrderTerm[] {
  const raw = queryParam(request, 'ordering')
  // Own keys only: `?ordering=valueOf` must not find Object.prototype's method (a 500).
  const asked =
    raw === undefined
      ? []
      : raw
          .split(',')
          .map((term) => term.trim())
          .filter((term) => Object.hasOwn(allowed, term.replace(/^-/, '')))
  return (asked.length ? asked : fallback).map((term) => {
    const name = term.replace(/^-/, '')
    return {
      column: Object.hasOwn(allowed, name) ? allowed[name] : name,
      desc: term.startsWith('-'),
    }
  })
}

/** Order `query` by `terms`, in turn. */
export function orderBy<O>(query: AnyQuery<O>, terms: OrderTerm[]): AnyQuery<O> {
  let ordered = query
  for (const { column, desc } of terms) {
    ordered = ordered.orderBy(sql.ref(column), desc ? 'desc' : 'asc')
  }
  return ordered
}

/** A LIKE pattern that finds `term` anywhere, lowercased, its wildcards taken literally. */
export function likePattern(term: string) {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * The LIKE patterns of `?search=a b` (DRF's SearchFilter, icontains): one per distinct term,
 * lowercased, with LIKE wildcards in the terms taken literally. Past MAX_SEARCH_TERMS, a 400: a
 * thousand terms nested deeper than SQLite allows and answered 500.
 */
export function searchPatterns(request: FastifyRequest): string[] {
  const raw = queryParam(request, 'search')
  if (!raw) return []
  const patterns = new Set(
    raw
      .replace(/\0/g, '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(likePattern),
  )
  if (patterns.size > MAX_SEARCH_TERMS) {
    throw new ValidationError({
      search: [`Ensure this value has at most ${MAX_SEARCH_TERMS} search terms.`],
    })
  }
  return [...patterns]
}

/**
 * Keep the rows where every pattern (a value, or a placeholder for one) matches one of `columns`.
 */
export function whereMatches<O>(
  query: AnyQuery<O>,
  columns: string[],
  patterns: readonly unknown[],
): AnyQuery<O> {
  let filtered = query
  for (const pattern of patterns) {
    filtered = filtered.where((eb) =>
      eb.or(columns.map((c) => eb(sql`lower(${sql.ref(c)})`, 'like', sql`${pattern} escape '\\'`))),
    )
  }
  return filtered
}
