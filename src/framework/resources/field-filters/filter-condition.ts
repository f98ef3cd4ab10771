import { type RawBuilder, sql } from 'kysely'
import type { AnyQuery } from '../filters.ts'
import type { FilterKind } from './filter-value.ts'

/**
 * One condition of a list's WHERE that a field filter adds, with the number of values it binds.
 * Built once per shape: the values are bound per request (or stand for a compiled plan's slots).
 */
export interface FilterCondition {
  /** Names the condition's SQL, for the caches of compiled lists. */
  readonly key: string
  readonly arity: number
  /** Its SQL depends on the request beyond bound values (a method filter): never compiled. */
  readonly perRequest?: boolean
  where<O>(query: AnyQuery<O>, values: readonly unknown[]): AnyQuery<O>
}

/** A comparison a lookup makes. */
export type Comparison = '=' | '<' | '<=' | '>' | '>='

// An integer is compared as bigint, so a value past PostgreSQL's int4 is a plain miss, never a
// range error.
function bound(kind: FilterKind, value: unknown): unknown {
  return kind === 'integer' ? sql`cast(${value} as bigint)` : value
}

/** `column op value`. */
export function comparing(
  key: string,
  column: string,
  op: Comparison,
  kind: FilterKind,
): FilterCondition {
  return {
    key,
    arity: 1,
    where: (query, [value]) => query.where(sql.ref(column), op, bound(kind, value)),
  }
}

/** `column in (…)` with `arity` values. */
export function within(
  key: string,
  column: string,
  kind: FilterKind,
  arity: number,
): FilterCondition {
  return {
    key: `${key}:${arity}`,
    arity,
    where: (query, values) => {
      const list = values.slice(0, arity).map((v) => bound(kind, v) as RawBuilder<unknown>)
      return query.where(sql<boolean>`${sql.ref(column)} in (${sql.join(list)})`)
    },
  }
}

/** `lower(column) like pattern`, the pattern lowercased with its wildcards escaped. */
export function containing(key: string, column: string): FilterCondition {
  return {
    key,
    arity: 1,
    where: (query, [pattern]) =>
      query.where(sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`),
  }
}

/** `column is null`, or `is not null`. */
export function nullness(key: string, column: string, isNull: boolean): FilterCondition {
  return {
    key,
    arity: 0,
    where: (query) => query.where(sql.ref(column), isNull ? 'is' : 'is not', null),
  }
}

/** Add every condition, each taking its values from `values` in turn. */
export function whereFilters<O>(
  query: AnyQuery<O>,
  conditions: readonly FilterCondition[],
  values: readonly unknown[],
): AnyQuery<O> {
  let filtered = query
  let next = 0
  for (const condition of conditions) {
    filtered = condition.where(filtered, values.slice(next, next + condition.arity))
    next += condition.arity
  }
  return filtered
}
