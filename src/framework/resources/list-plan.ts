import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import { literalLimit } from '../db/literal-limit.ts'
import { type Prepared, prepared } from '../db/prepared.ts'
import { holdsNul } from '../db/storable-text.ts'
import type { Tables } from '../db/tables.ts'
import { type FilterCondition, whereFilters } from './field-filters/filter-condition.ts'
import { type OrderTerm, orderBy, whereMatches } from './filters.ts'
import type { RowWindow } from './paginators/paginator.ts'
import type { RowQuery } from './viewset.ts'

/** A value a scope compares a column with. */
export type ScopeValue = string | number | bigint | boolean

/** The column values every row a request sees must have: `{ 'bucketlists.owner_id': id }`. */
export type Scope = Record<string, ScopeValue>

/**
 * What a viewset's `scope` answers: one Scope (every equality holds), or several, any of which
 * may hold (Django's `Q(status='published') | Q(creator=user)`).
 */
export type Scoping = Scope | readonly ScopeAlternative[]

// An alternative may name other columns than its neighbours, which TypeScript reads as those
// being undefined here: a value that is undefined at run time still throws.
type ScopeAlternative = Readonly<Record<string, ScopeValue | undefined>>

/** A scoping taken apart: its columns, one list per alternative, and their values in order. */
export interface ScopeParts {
  shape: string[][]
  values: unknown[]
}

const UNSCOPED: ScopeParts = { shape: [[]], values: [] }

// Text with U+0000 equals nothing stored (a 500 from `?username=%00` if PostgreSQL is asked).
const unstorable = (value: unknown) => typeof value === 'string' && holdsNul(value)

/**
 * Take a scoping apart; null is every row. A value that is missing, or a list with nothing or an
 * empty alternative in it, throws: it must never mean "every row" by mistake. An alternative
 * with a text that holds U+0000 matches no row and is left out; with none left, the shape has no
 * alternative at all and selects nothing.
 */
export function scopeParts(scoping: Scoping | null | undefined, owner: string): ScopeParts {
  if (scoping === null || scoping === undefined) return UNSCOPED
  const list = Array.isArray(scoping)
  const alternatives: readonly ScopeAlternative[] = list ? scoping : [scoping as Scope]
  if (list && alternatives.length === 0) {
    throw new Error(`${owner}: scope() gave a list with no alternative, or an empty one`)
  }
  const shape: string[][] = []
  const values: unknown[] = []
  for (const alternative of alternatives) {
    const columns = Object.keys(alternative)
    if (list && columns.length === 0) {
      throw new Error(`${owner}: scope() gave a list with no alternative, or an empty one`)
    }
    for (const column of columns) {
      const value = alternative[column]
      if (value === undefined || value === null) {
        throw new Error(`${owner}: scope() gave no value for ${column}`)
      }
    }
    if (columns.some((column) => unstorable(alternative[column]))) continue
    for (const column of columns) values.push(alternative[column])
    shape.push(columns)
  }
  return { shape, values }
}

/** How many values a scope of this shape takes: the arguments a compiled plan binds first. */
export function scopeArity(shape: readonly (readonly string[])[]): number {
  return shape.reduce((n, columns) => n + columns.length, 0)
}

/** A key naming a scope's shape, for caches of what is compiled per shape. */
export function shapeKey(shape: readonly (readonly string[])[]): string {
  // The count first: no alternative (nothing) and one empty one (everything) join alike.
  return `${shape.length}\u0003${shape.map((columns) => columns.join('\0')).join('\u0002')}`
}

/**
 * Rows related to each object that a scope may name as `{name}.{column}` (Django's lookups that
 * span a relation, `.filter(members__user=user)`): each builds the related rows, correlated to
 * the object's row, e.g. `(eb) => eb.selectFrom('org_members as members')
 * .whereRef('members.organization_id', '=', 'organizations.id')`.
 */
export type Related = Record<
  string,
  // biome-ignore lint/suspicious/noExplicitAny: rows of any tables, correlated to any query
  (eb: ExpressionBuilder<any, any>) => SelectQueryBuilder<any, any, any>
>

// The relation a scope column names by its prefix, if it names one.
function relationOf(column: string, related: Related): string | undefined {
  const dot = column.indexOf('.')
  const name = dot < 0 ? '' : column.slice(0, dot)
  return dot > 0 && Object.hasOwn(related, name) ? name : undefined
}

/**
 * Keep the rows whose columns equal `values` (or the placeholders a plan is built with): every
 * equality of the one alternative, or all of any one of several. Columns of a relation in
 * `related` hold together for one related row, as an EXISTS: an object is never listed twice,
 * however many related rows match.
 */
export function whereScope<Row>(
  query: RowQuery<Row>,
  shape: readonly (readonly string[])[],
  values: readonly unknown[],
  related: Related = {},
): RowQuery<Row> {
  if (shape.some((columns) => columns.some((c) => relationOf(c, related) !== undefined))) {
    return whereAcross(query, shape, values, related)
  }
  if (shape.length === 1) {
    let scoped = query
    const columns = shape[0]
    for (let i = 0; i < columns.length; i++)
      scoped = scoped.where(sql.ref(columns[i]), '=', values[i])
    return scoped
  }
  let next = 0
  return query.where((eb) =>
    eb.or(shape.map((columns) => eb.and(columns.map((c) => eb(sql.ref(c), '=', values[next++]))))),
  )
}

// whereScope for a shape that names a relation: one condition per alternative, each relation's
// equalities inside its own EXISTS, values taken in column order as scopeParts lists them.
function whereAcross<Row>(
  query: RowQuery<Row>,
  shape: readonly (readonly string[])[],
  values: readonly unknown[],
  related: Related,
): RowQuery<Row> {
  let next = 0
  return query.where((eb) => {
    const alternative = (columns: readonly string[]) => {
      const own = []
      const across = new Map<string, [string, unknown][]>()
      for (const column of columns) {
        const value = values[next++]
        const name = relationOf(column, related)
        if (name === undefined) own.push(eb(sql.ref(column), '=', value))
        else across.set(name, [...(across.get(name) ?? []), [column, value]])
      }
      for (const [name, pairs] of across) {
        let rows = related[name](eb)
        for (const [column, value] of pairs) rows = rows.where(sql.ref(column), '=', value)
        own.push(eb.exists(rows.select(sql.lit(1).as('one'))))
      }
      return eb.and(own)
    }
    return shape.length === 1 ? alternative(shape[0]) : eb.or(shape.map(alternative))
  })
}

/** The count of the rows `query` selects, as `{ count }` (a string on PostgreSQL). */
export function countOf<Row>(query: RowQuery<Row>) {
  return query
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
}

/** What decides a list's SQL beyond its order and window: scope columns, filters, search terms. */
export interface ListShape {
  scope: string[][]
  filters: readonly FilterCondition[]
  searches: number
  /** The shape's cache key, set by `listPlans` the first time it is asked for. */
  key?: string
}

/** The list `shape` describes, over `query`: `args` are the scope's values, the filters', the patterns. */
export function filtered<Row>(
  query: RowQuery<Row>,
  shape: ListShape,
  searchColumns: string[],
  args: readonly unknown[],
  related: Related = {},
): RowQuery<Row> {
  const scoped = scopeArity(shape.scope)
  const filterArity = shape.filters.reduce((n, c) => n + c.arity, 0)
  const n = scoped + filterArity
  const narrowed = whereFilters(
    whereScope(query, shape.scope, args, related),
    shape.filters,
    args.slice(scoped, n),
  )
  return whereMatches(narrowed, searchColumns, args.slice(n, n + shape.searches))
}

/**
 * `query` in `order` (reversed for a window read backwards), past `after` on the first order
 * column when the window says so, then its LIMIT (written in the SQL) and `offset`.
 */
export function windowed<Row>(
  query: RowQuery<Row>,
  order: OrderTerm[],
  window: RowWindow,
  after: unknown,
  offset: unknown,
): RowQuery<Row> {
  let q = query
  if (window.after) q = q.where(sql.ref(order[0].column), window.after.op, after)
  q = orderBy(q, window.reverse ? order.map((t) => ({ column: t.column, desc: !t.desc })) : order)
  if (window.limit !== undefined) q = q.limit(literalLimit(window.limit)).offset(offset as number)
  return q
}

/** How many values a list of this shape binds before its window's own. */
export function shapeArity(shape: ListShape): number {
  return scopeArity(shape.scope) + shape.filters.reduce((n, c) => n + c.arity, 0) + shape.searches
}

// Shapes come from code (scope columns) and from query parameters (filters, ordering terms,
// number of search terms, page size): bounded, so a client cannot grow the caches without end.
const MAX_PLANS = 256

/**
 * A viewset's list statements, compiled once per shape (scope columns, filters, number of search
 * terms; for rows also the order and the window) and then run with each request's values:
 * building and compiling a count and a page through Kysely costs more than SQLite takes to run
 * them.
 */
export function listPlans<Row>(
  base: (db: Database) => RowQuery<Row>,
  searchColumns: string[],
  related: Related = {},
) {
  const counts = new Map<string, Prepared<Tables, unknown[], { count: number | string }>>()
  const pages = new Map<string, Prepared<Tables, unknown[], Row>>()
  const keyOf = (shape: ListShape) => {
    shape.key ??= `${shapeKey(shape.scope)}\u0001${shape.filters.map((c) => c.key).join('\0')}\u0001${shape.searches}`
    return shape.key
  }
  const room = () => {
    if (counts.size + pages.size >= MAX_PLANS) {
      counts.clear()
      pages.clear()
    }
  }
  return {
    /** The count of the list. Arguments: the scope's values, the filters', the search patterns. */
    count(shape: ListShape) {
      const key = keyOf(shape)
      let found = counts.get(key)
      if (found === undefined) {
        room()
        found = prepared(shapeArity(shape), (db: Database, ...args: unknown[]) =>
          countOf(filtered(base(db), shape, searchColumns, args, related)),
        )
        counts.set(key, found)
      }
      return found
    },
    /**
     * The rows of a window of the list. Arguments: as `count`'s, then the window's position
     * (when it has one) and its offset (when it has a limit).
     */
    rows(shape: ListShape, order: OrderTerm[], window: RowWindow) {
      const orderKey = order.map((t) => (t.desc ? `-${t.column}` : t.column)).join('\0')
      const windowKey = `${window.reverse ? 'r' : ''}${window.after?.op ?? ''}${window.limit ?? ''}`
      const key = `${keyOf(shape)}\u0001${orderKey}\u0001${windowKey}`
      let found = pages.get(key)
      if (found === undefined) {
        room()
        const n = shapeArity(shape)
        const arity = n + (window.after ? 1 : 0) + (window.limit !== undefined ? 1 : 0)
        found = prepared(arity, (db: Database, ...args: unknown[]) => {
          const after = window.after ? args[n] : undefined
          const offset = args[arity - 1]
          return windowed(
            filtered(base(db), shape, searchColumns, args, related),
            order,
            window,
            after,
            offset,
          )
        })
        pages.set(key, found)
      }
      return found
    },
  }
}
