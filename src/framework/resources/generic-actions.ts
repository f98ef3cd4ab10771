import type { FastifyReply, FastifyRequest } from 'fastify'
import { sql, type Transaction } from 'kysely'
import type { ResolvedAccess } from '../access.ts'
import { requestData } from '../body.ts'
import type { Database } from '../db/database.ts'
import { isForeignKeyViolation } from '../db/foreign-key-violation.ts'
import { type Prepared, prepared } from '../db/prepared.ts'
import { sqliteHandle } from '../db/sqlite-handle.ts'
import type { Tables } from '../db/tables.ts'
import { uniqueViolation } from '../db/unique-violation.ts'
import { andThen, isPromise, type MaybePromise } from '../maybe-promise.ts'
import type { ObjectRow } from '../permissions/permission.ts'
import { checkObjectPermissions } from '../pipeline.ts'
import type { FieldMap, Input, UniqueLookup, ValidateOptions } from '../schema/resource-schema.ts'
import { whereFilters } from './field-filters/filter-condition.ts'
import { orderingTerms, searchPatterns, whereMatches } from './filters.ts'
import { insertStatements } from './insert-statements.ts'
import {
  countOf,
  listPlans,
  type ScopeParts,
  scopeArity,
  scopeParts,
  shapeKey,
  whereScope,
  windowed,
} from './list-plan.ts'
import { type Listing, listingOf } from './listing.ts'
import { narrowsListsOnly } from './lists-only.ts'
import { lookupOf, lookupValue, missing } from './lookup.ts'
import type { ListQuery } from './paginators/paginator.ts'
import { relatedOf } from './schema-related.ts'
import type { RowQuery, SavedRow, SaveRow, SaveValues, ViewsetDefinition } from './viewset.ts'

/** The generic actions of one viewset, bound to its definition. */
export function genericActions<F extends FieldMap, Row extends ObjectRow>(
  vs: ViewsetDefinition<F, Row>,
  { paginator, filters }: Listing = listingOf(vs),
) {
  const pk = vs.pk ?? 'id'
  const pkKind = vs.schema.fields[pk]?.kind ?? 'integer'
  const pkColumn = `${vs.table}.${pk}`
  // What scope may name across a relation: declared, and the schema's many-to-many fields.
  const related = relatedOf(vs)
  const autoNowAdd = Object.keys(vs.schema.fields).filter(
    (k) => vs.schema.fields[k].options.autoNowAdd,
  )
  const autoNow = Object.keys(vs.schema.fields).filter((k) => vs.schema.fields[k].options.autoNow)
  const { represent } = vs.schema
  // The values as their columns take them (a JSON field's text): most schemas have no such field.
  const stored = (values: Record<string, unknown>) =>
    vs.schema.store ? vs.schema.store(values) : { ...values }

  // Related data of loaded rows: the schema's relations (one query per field for the page), then
  // the viewset's own prefetch; null when there is neither, so a plain detail stays synchronous.
  const { load, writeRelated } = vs.schema
  const prefetch =
    load || vs.prefetch
      ? async (rows: Row[], db: Database) => {
          if (load) await load(rows, { db, pk })
          if (vs.prefetch) await vs.prefetch(rows, db)
        }
      : null

  const lookup = lookupOf(vs)
  const lookupColumn = `${vs.table}.${lookup.field}`

  // An integer is compared as bigint, so a key past PostgreSQL's int4 is a miss rather than a
  // range error.
  function whereEquals(query: RowQuery<Row>, column: string, kind: string, value: unknown) {
    return query.where(
      sql.ref(column),
      '=',
      kind === 'integer' ? sql`cast(${value} as bigint)` : value,
    )
  }
  const byPk = (query: RowQuery<Row>, id: unknown) => whereEquals(query, pkColumn, pkKind, id)
  const byLookup = (query: RowQuery<Row>, value: unknown) =>
    whereEquals(query, lookupColumn, lookup.kind, value)

  // Query builders are immutable: the unscoped query is built once per database, not per request.
  const bases = new WeakMap<Database, RowQuery<Row>>()
  function base(db: Database): RowQuery<Row> {
    let query = bases.get(db)
    if (query === undefined) {
      query = vs.query(db)
      bases.set(db, query)
    }
    return query
  }

  // A saved object reloaded by its key: compiled once.
  const unscopedByPk = prepared(1, (db: Database, id: unknown) => byPk(base(db), id))
  // The detail lookup most viewsets make (no scoping for it): compiled once.
  const unscopedByLookup = prepared(1, (db: Database, value: unknown) => byLookup(base(db), value))
  // A detail under a scope: compiled once per shape of scope.
  const scopedByLookup = new Map<string, Prepared<Tables, unknown[], Row>>()
  function byLookupWithin(shape: string[][]): Prepared<Tables, unknown[], Row> {
    if (shape.length === 1 && shape[0].length === 0) {
      return unscopedByLookup as Prepared<Tables, unknown[], Row>
    }
    const key = shapeKey(shape)
    let found = scopedByLookup.get(key)
    if (found === undefined) {
      const scoped = scopeArity(shape)
      found = prepared(scoped + 1, (db: Database, ...args: unknown[]) =>
        byLookup(whereScope(base(db), shape, args, related), args[scoped]),
      )
      scopedByLookup.set(key, found)
    }
    return found
  }
  const plans = listPlans(base, vs.search ?? [], related)

  // A missing value must never mean "every row": that would show one user's rows to another.
  const scopeOf = (request: FastifyRequest): MaybePromise<ScopeParts> =>
    andThen(vs.scope?.(request), (scoping) => scopeParts(scoping, vs.basename))
  // One object's scope: none for a list-only scope, even when a child's list loads this parent.
  const objectScope = narrowsListsOnly(vs.scope) ? undefined : vs.scope
  const objectScopeOf = (request: FastifyRequest): MaybePromise<ScopeParts> =>
    andThen(objectScope?.(request), (scoping) => scopeParts(scoping, vs.basename))

  // perRequestQuery builds its SQL on every request; a scope alone is compiled once per shape.
  function scoped(request: FastifyRequest, parts: ScopeParts): RowQuery<Row> {
    const query = whereScope(base(request.server.db), parts.shape, parts.values, related)
    return vs.perRequestQuery ? vs.perRequestQuery(request, query) : query
  }

  /**
   * Load the object named by the URL, scoped, then run the object-level checks. Not async: a
   * SQLite lookup and plain checks answer without a turn of the event loop.
   */
  function getObject(request: FastifyRequest): MaybePromise<Row> {
    const params = request.params as Record<string, string | undefined>
    return lookupObject(request, params[lookup.param])
  }

  /**
   * Load the object a URL's text names, scoped, then checked under `access` (the route's by
   * default; a parent route's when a nested route loads its parent).
   */
  function lookupObject(
    request: FastifyRequest,
    raw: string | undefined,
    access?: ResolvedAccess,
  ): MaybePromise<Row> {
    const value = lookupValue(request, lookup.kind, raw)
    return andThen(objectScopeOf(request), (parts) => {
      const row: MaybePromise<Row | undefined> = vs.perRequestQuery
        ? (byLookup(scoped(request, parts), value).executeTakeFirst() as Promise<Row | undefined>)
        : byLookupWithin(parts.shape).first(request.server.db, ...parts.values, value)
      return isPromise(row)
        ? row.then((found) => loaded(request, found, access))
        : loaded(request, row, access)
    })
  }

  // The object found (or not), prefetched, then checked: without a closure when nothing waits.
  function loaded(
    request: FastifyRequest,
    found: Row | undefined,
    access?: ResolvedAccess,
  ): MaybePromise<Row> {
    if (!found) throw missing(request)
    if (prefetch) {
      return andThen(prefetch([found], request.server.db), () => checked(request, found, access))
    }
    return checked(request, found, access)
  }

  function checked(
    request: FastifyRequest,
    found: Row,
    access?: ResolvedAccess,
  ): MaybePromise<Row> {
    const verdict = checkObjectPermissions(request, found, access)
    return isPromise(verdict) ? verdict.then(() => found) : found
  }

  async function reload(request: FastifyRequest, id: unknown): Promise<Row> {
    const row = (await unscopedByPk.first(request.server.db, id)) as Row | undefined
    if (!row) throw new Error(`${vs.table} ${String(id)} vanished after it was saved`)
    if (prefetch) await prefetch([row], request.server.db)
    await shown(request, [row])
    return row
  }

  /** Turn loaded rows into what this request is shown: stored values, then `present`. */
  function shown(request: FastifyRequest, rows: Row[]): MaybePromise<void> {
    if (represent) for (const row of rows) represent(row, request)
    if (vs.present && rows.length) return vs.present(request, rows)
  }

  // "Is this value taken?" per unique field, with and without the object being updated: compiled once.
  const takenQueries = new Map<string, Prepared<Tables, unknown[], { one: number }>>()
  function takenQuery(field: string, excluding: boolean) {
    const key = `${excluding ? '-' : '+'}${field}`
    let found = takenQueries.get(key)
    if (found === undefined) {
      found = prepared(excluding ? 2 : 1, (db: Database, value: unknown, exclude?: unknown) => {
        const query = db
          .selectFrom(sql.table(vs.table).as('t'))
          .select(sql.lit(1).as('one'))
          .where(sql.ref(`t.${field}`), '=', value)
        return excluding ? query.where(sql.ref(`t.${pk}`), '!=', exclude) : query
      })
      takenQueries.set(key, found)
    }
    return found
  }

  function uniqueLookup(request: FastifyRequest, exclude?: unknown): UniqueLookup {
    return async (field, value) => {
      const excluding = exclude !== undefined
      const args = excluding ? [value, exclude] : [value]
      return (await takenQuery(field, excluding).first(request.server.db, ...args)) !== undefined
    }
  }

  const inserts = insertStatements(vs.table)
  const createStamps = [...autoNowAdd, ...autoNow]

  // The values of a new row, in `trx`: the hook's, or its own save; saved with related rows.
  async function createInTransaction(
    request: FastifyRequest,
    data: Input<F>,
    trx: Transaction<Tables>,
    decided?: SaveValues,
  ): Promise<unknown> {
    const write = once('performCreate', async (values) => {
      const saved = await inserts.insert(trx, stamp(stored(values), createStamps))
      if (writeRelated) await writeRelated(trx, saved[pk], values)
      return saved
    })
    const values =
      decided ?? (vs.performCreate ? await vs.performCreate(request, data, trx, write.save) : data)
    const saved = write.saved ?? (await write.save(given('performCreate', values)))
    return saved[pk]
  }

  // A hook that declares neither `trx` nor `save` cannot write in the transaction: its create is
  // one INSERT, which SQLite runs in a transaction of its own, BEGIN to COMMIT without a turn of
  // the event loop (cheaper than Kysely's). Anything else goes through Kysely's transaction.
  const hookTakesTransaction = (vs.performCreate?.length ?? 0) >= 3
  async function createRow(request: FastifyRequest, data: Input<F>) {
    const { db } = request.server
    const sqlite = writeRelated || hookTakesTransaction ? undefined : sqliteHandle(db)
    if (sqlite === undefined) {
      return db.transaction().execute((trx) => createInTransaction(request, data, trx))
    }
    const values = vs.performCreate ? await vs.performCreate(request, data, NO_TRX, NO_SAVE) : data
    const row = stamp(stored(given('performCreate', values)), createStamps)
    const statement = inserts.for(row)
    // Another request's Kysely transaction holds the connection: this one waits its turn.
    if (statement === null || sqlite.inTransaction) {
      return db.transaction().execute((trx) => createInTransaction(request, data, trx, values))
    }
    const saved = sqlite.inOwnTransaction(() =>
      statement.firstOn(sqlite, db, ...Object.values(row)),
    )
    if (saved === undefined) throw new Error(`${vs.table}: the insert returned no row`)
    return saved[pk]
  }

  // What a hook gets for a parameter it did not declare: using it anyway says how to mend that.
  function undeclared(name: string): never {
    const refuse = () => {
      throw new Error(
        `${vs.basename}: performCreate uses ${name} without declaring it: write (request, data, trx, save)`,
      )
    }
    return new Proxy(refuse, { get: refuse, apply: refuse }) as never
  }
  const NO_TRX = undeclared('trx')
  const NO_SAVE = undeclared('save')

  function validation(request: FastifyRequest, partial: boolean, instance?: Row) {
    const context = { request, db: request.server.db }
    const unique = uniqueLookup(request, instance?.[pk])
    return { partial, unique, context, instance } satisfies ValidateOptions
  }

  // Two requests may pass the checks at once; the database has the last word. A unique
  // violation names its field; a foreign-key one means a related object vanished since it was
  // validated, so validating again answers with that field's 400, never a 500.
  async function saving<T>(
    request: FastifyRequest,
    options: ValidateOptions,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work()
    } catch (err) {
      const violation = uniqueViolation(err)
      const fieldError = violation && vs.schema.uniqueError(violation)
      if (fieldError) throw fieldError
      if (isForeignKeyViolation(err)) await vs.schema.validate(requestData(request), options)
      throw err
    }
  }

  // A hook either answers values or saves them itself, once: a second save would write twice.
  function once(hook: string, write: SaveRow) {
    const state: { saved?: SavedRow; save: SaveRow } = {
      async save(values) {
        if (state.saved !== undefined) throw new Error(`${vs.basename}: ${hook} saved twice`)
        state.saved = await write(values)
        return state.saved
      },
    }
    return state
  }

  function given(hook: string, values: SaveValues): Record<string, unknown> {
    if (values === undefined || values === null) {
      throw new Error(`${vs.basename}: ${hook} neither answered the values nor called save()`)
    }
    return values
  }

  function stamp(
    values: Record<string, unknown>,
    fields: string[],
    now = new Date().toISOString(),
  ) {
    for (const field of fields) values[field] = now
    return values
  }

  return {
    getObject,
    lookupObject,

    async list(request: FastifyRequest) {
      const { db } = request.server
      // DRF filters before it pages: a bad filter value is a 400 whatever the page.
      const asked = filters.read(request)
      const readPage = paginator.start(request)
      const patterns = vs.search?.length ? searchPatterns(request) : []
      const order =
        paginator.order ??
        orderingTerms(request, vs.ordering?.fields ?? {}, vs.ordering?.default ?? [pkColumn])
      const parts = await scopeOf(request)
      let list: ListQuery<Row>
      if (vs.perRequestQuery || asked.perRequest) {
        const narrowed = whereFilters(scoped(request, parts), asked.conditions, asked.values)
        const query = whereMatches(narrowed, vs.search ?? [], patterns)
        list = {
          count: async () => Number((await countOf(query).executeTakeFirstOrThrow()).count),
          rows: (window) =>
            windowed(query, order, window, window.after?.value, window.offset ?? 0).execute(),
        }
      } else {
        const { shape: scope, values } = parts
        const shape = { scope, filters: asked.conditions, searches: patterns.length }
        const args = [...values, ...asked.values, ...patterns]
        list = {
          count: async () => Number((await plans.count(shape).first(db, ...args))!.count),
          rows: (window) => {
            const more: unknown[] = window.after ? [window.after.value] : []
            if (window.limit !== undefined) more.push(window.offset ?? 0)
            return plans.rows(shape, order, window).all(db, ...args, ...more)
          },
        }
      }
      const { body, rows } = await readPage(list)
      if (prefetch && rows.length) await prefetch(rows, db)
      await shown(request, rows)
      return body
    },

    retrieve(request: FastifyRequest): MaybePromise<Row> {
      return andThen(getObject(request), (row) => andThen(shown(request, [row]), () => row))
    },

    async create(request: FastifyRequest, reply: FastifyReply) {
      const options = validation(request, false)
      const data = await vs.schema.validate(requestData(request), options)
      const id = await saving(request, options, () => createRow(request, data))
      reply.code(201)
      return reload(request, id)
    },

    async update(request: FastifyRequest, partial: boolean) {
      const obj = await getObject(request)
      const id = obj[pk]
      const options = validation(request, partial, obj)
      const data = await vs.schema.validate(requestData(request), options)
      await saving(request, options, () =>
        request.server.db.transaction().execute(async (trx) => {
          const write = once('performUpdate', async (values) => {
            const row = stamp(stored(values), autoNow)
            const saved =
              Object.keys(row).length === 0
                ? trx.selectFrom(vs.table).selectAll().where(sql.ref(pk), '=', id)
                : trx
                    .updateTable(vs.table)
                    .set(row as never)
                    .where(sql.ref(pk), '=', id)
                    .returningAll()
            const savedRow = (await saved.executeTakeFirstOrThrow()) as SavedRow
            if (writeRelated) await writeRelated(trx, id, values)
            return savedRow
          })
          const values = vs.performUpdate
            ? await vs.performUpdate(request, data, obj, trx, write.save)
            : data
          if (write.saved === undefined) await write.save(given('performUpdate', values))
        }),
      )
      return reload(request, id)
    },

    async destroy(request: FastifyRequest, reply: FastifyReply) {
      const obj = await getObject(request)
      await request.server.db.transaction().execute(async (trx) => {
        if (vs.performDestroy) await vs.performDestroy(request, obj, trx)
        else await trx.deleteFrom(vs.table).where(sql.ref(pk), '=', obj[pk]).execute()
      })
      reply.code(204)
      return reply.send()
    },
  }
}
