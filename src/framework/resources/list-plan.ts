import { sql } from 'kysely'
import type { Database } from '../db/database.ts'
import { type Prepared, prepared } from '../db/prepared.ts'
import type { Tables } from '../db/tables.ts'
import { type OrderTerm, orderBy, whereMatches } from './filters.ts'
import type { RowQuery } from './viewset.ts'

/** A value a scope compares a column with. */
export type ScopeValue = string | number | bigint | boolean

/** The column values every row a request sees must have: `{ 'bucketlists.owner_id': id }`. */
export type Scope = Record<string, ScopeValue>

/** Keep the rows whose `columns` equal `values` (or the placeholders a plan is built with). */
export function whereScope<Row>(
  query: RowQuery<Row>,
  columns: readonly string[],
  values: readonly unknown[],
): RowQuery<Row> {
  let scoped = query
  for (let i = 0; i < columns.length; i++)
    scoped = scoped.where(sql.ref(columns[i]), '=', values[i])
  return scoped
}

/** The count of the rows `query` selects, as `{ count }` (a string on PostgreSQL). */
export function countOf<Row>(query: RowQuery<Row>) {
  return query
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
}

/** The two statements of a page of a list: its count and its rows. */
export interface ListPlan<Row> {
  /** Arguments: the scope's values, then the search patterns. */
  count: Prepared<Tables, unknown[], { count: number | string }>
  /** Arguments: the scope's values, the search patterns, the page size and the offset. */
  page: Prepared<Tables, unknown[], Row>
}

// Shapes come from code (scope columns) and from query parameters (ordering terms, number of
// search terms): bounded, so a client cannot grow the cache without end.
const MAX_PLANS = 256

/**
 * A viewset's list queries, compiled once per shape (scope columns, ordering, number of search
 * terms) and then run with each request's values: building and compiling a count and a page
 * through Kysely costs more than SQLite takes to run them.
 */
export function listPlans<Row>(base: (db: Database) => RowQuery<Row>, searchColumns: string[]) {
  const plans = new Map<string, ListPlan<Row>>()
  return function plan(columns: string[], order: OrderTerm[], searches: number): ListPlan<Row> {
    const orderKey = order.map((t) => (t.desc ? `-${t.column}` : t.column)).join('\0')
    const key = `${columns.join('\0')}\u0001${orderKey}\u0001${searches}`
    let found = plans.get(key)
    if (found === undefined) {
      if (plans.size >= MAX_PLANS) plans.clear()
      const n = columns.length + searches
      const filtered = (db: Database, args: unknown[]) =>
        whereMatches(
          whereScope(base(db), columns, args),
          searchColumns,
          args.slice(columns.length, n),
        )
      found = {
        count: prepared(n, (db: Database, ...args: unknown[]) => countOf(filtered(db, args))),
        page: prepared(n + 2, (db: Database, ...args: unknown[]) =>
          orderBy(filtered(db, args), order)
            .limit(args[n] as number)
            .offset(args[n + 1] as number),
        ),
      }
      plans.set(key, found)
    }
    return found
  }
}
