import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { type FieldErrors, ValidationError } from '../../errors.ts'
import type { FieldMap } from '../../schema/resource-schema.ts'
import { SetupError } from '../../setup-errors.ts'
import { likePattern } from '../filters.ts'
import { queryParam } from '../query-param.ts'
import {
  type Comparison,
  comparing,
  containing,
  type FilterCondition,
  nullness,
  within,
} from './filter-condition.ts'
import { booleanValue, type FilterKind, filterValue } from './filter-value.ts'
import { type MethodFilter, methodCondition } from './method-filter.ts'

/** The lookups a field filter offers (django-filter's `lookup_expr`). */
export type FilterLookup = 'exact' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'icontains' | 'isnull'

/** A field filter spelled out: its lookups, and where the column or the kind are not the field's. */
export interface FieldFilter {
  lookups: readonly FilterLookup[]
  /** The SQL column; `{table}.{name}` by default. */
  column?: string
  /** The kind of its values; the schema field's by default (needed for a name the schema lacks). */
  kind?: FilterKind
  /** The values a `choice` filter accepts; the schema field's choices by default. */
  choices?: readonly string[]
}

/**
 * A viewset's field filters (django-filter's `filterset_fields`): by name, its lookups, a
 * FieldFilter, or a `filterMethod(...)` for a condition no column comparison says. `{ status: ['exact', 'in'] }` gives `?status=` and `?status__in=a,b`.
 */
export type FilterFields = Record<string, readonly FilterLookup[] | FieldFilter | MethodFilter>

/** The conditions a request's filters add to a list, and the values they bind. */
export interface FilterRequest {
  conditions: FilterCondition[]
  values: unknown[]
  /** A method filter is set: the list's SQL is built for this request. */
  perRequest?: boolean
}

/** A viewset's field filters, compiled at start. */
export interface CompiledFilters {
  /** Each field filter's query parameter, typed, for OpenAPI. */
  readonly query: Record<string, TSchema>
  /** Each method filter's query parameter, as it declares it, for OpenAPI: it refuses nothing. */
  readonly methods: Record<string, TSchema>
  /** The filters this request sets: a bad value is django-filter's 400, by parameter. */
  read(request: FastifyRequest): FilterRequest
}

/** At most this many values in one `__in`: each is a bound parameter. */
export const MAX_IN_VALUES = 100

const COMPARISONS: Partial<Record<FilterLookup, Comparison>> = {
  exact: '=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
}

// Which lookups make sense for which kinds; any other pairing is refused at start.
const LOOKUPS_OF: Record<FilterKind, readonly FilterLookup[]> = {
  text: ['exact', 'in', 'gt', 'gte', 'lt', 'lte', 'icontains', 'isnull'],
  choice: ['exact', 'in', 'icontains', 'isnull'],
  integer: ['exact', 'in', 'gt', 'gte', 'lt', 'lte', 'isnull'],
  datetime: ['exact', 'in', 'gt', 'gte', 'lt', 'lte', 'isnull'],
  uuid: ['exact', 'in', 'isnull'],
  boolean: ['exact', 'isnull'],
}

// The kinds of the schema's fields that a filter can compare.
const KIND_OF_FIELD: Record<string, FilterKind> = {
  string: 'text',
  email: 'text',
  integer: 'integer',
  related_pk: 'integer',
  related_uuid: 'uuid',
  boolean: 'boolean',
  datetime: 'datetime',
  uuid: 'uuid',
  choice: 'choice',
}

const WORDS: Record<FilterLookup, string> = {
  exact: 'equals',
  in: 'is one of (comma-separated)',
  gt: 'is after or above',
  gte: 'is at least',
  lt: 'is before or below',
  lte: 'is at most',
  icontains: 'contains, ignoring case',
  isnull: 'is null (true) or set (false)',
}

function valueSchema(kind: FilterKind, choices: readonly string[]): TSchema {
  if (kind === 'integer') return Type.Number()
  if (kind === 'boolean') return Type.Boolean()
  if (kind === 'datetime') return Type.String({ format: 'date-time' })
  if (kind === 'uuid') return Type.String({ format: 'uuid' })
  if (kind === 'choice') return Type.Unsafe<string>({ type: 'string', enum: [...choices] })
  return Type.String()
}

/** One query parameter of a filter: `status`, `status__in`… */
interface ParamFilter {
  param: string
  schema: TSchema
  /** The condition and values of a raw value; null when it sets no filter; a message when bad. */
  read(
    raw: string,
    request: FastifyRequest,
  ): { condition: FilterCondition; values: unknown[] } | null | string
}

// `__in`'s list, its length rounded up to a power of two (the last value repeated): a handful
// of compiled shapes, whatever the lists' lengths.
function inFilter(param: string, column: string, kind: FilterKind): ParamFilter['read'] {
  const shapes = new Map<number, FilterCondition>()
  const itemKind = kind === 'choice' ? 'text' : kind
  return (raw) => {
    if (raw === '') return null
    const values: unknown[] = []
    for (const item of raw.split(',')) {
      const read = filterValue(itemKind, item)
      if ('error' in read) return read.error
      if ('value' in read && !values.includes(read.value)) values.push(read.value)
    }
    if (values.length > MAX_IN_VALUES)
      return `Ensure this value has at most ${MAX_IN_VALUES} values.`
    // Only empty items (`?id__in=,`): Django compares with NULL, which matches nothing.
    if (values.length === 0) values.push(null)
    const arity = 2 ** Math.ceil(Math.log2(values.length))
    while (values.length < arity) values.push(values[values.length - 1])
    let condition = shapes.get(arity)
    if (condition === undefined) {
      condition = within(param, column, kind, arity)
      shapes.set(arity, condition)
    }
    return { condition, values }
  }
}

function paramFilter(
  name: string,
  lookup: FilterLookup,
  column: string,
  kind: FilterKind,
  choices: readonly string[],
): ParamFilter {
  const param = lookup === 'exact' ? name : `${name}__${lookup}`
  const described = (schema: TSchema) =>
    Type.Optional({ ...schema, description: `${name} ${WORDS[lookup]}.` })
  if (lookup === 'in') {
    return {
      param,
      schema: described(Type.String()),
      read: inFilter(param, column, kind),
    }
  }
  if (lookup === 'isnull') {
    const yes = nullness(`${param}:1`, column, true)
    const no = nullness(`${param}:0`, column, false)
    return {
      param,
      schema: described(Type.Boolean()),
      read: (raw) => {
        const read = booleanValue(raw)
        return 'value' in read ? { condition: read.value ? yes : no, values: [] } : null
      },
    }
  }
  const condition =
    lookup === 'icontains'
      ? containing(param, column)
      : comparing(param, column, COMPARISONS[lookup]!, kind)
  const valueKind = lookup === 'exact' ? kind : kind === 'choice' ? 'text' : kind
  return {
    param,
    schema: described(valueSchema(valueKind, choices)),
    read: (raw) => {
      const read = filterValue(valueKind, raw, choices)
      if ('error' in read) return read.error
      if (!('value' in read)) return null
      const value = lookup === 'icontains' ? likePattern(read.value as string) : read.value
      return { condition, values: [value] }
    },
  }
}

// Most lists filter nothing: one answer for all of them, never changed.
const NOTHING: FilterRequest = Object.freeze({
  conditions: Object.freeze([]) as unknown as FilterCondition[],
  values: Object.freeze([]) as unknown as unknown[],
})
const NO_FILTERS: CompiledFilters = { query: {}, methods: {}, read: () => NOTHING }

/** What compiling a viewset's filters needs to know of it. */
export interface FilteredView {
  basename: string
  table: string
  fields: FieldMap
  /** Query parameters the list reads already (pages, search, ordering): no filter may take one. */
  reserved: ReadonlySet<string>
}

/**
 * Compile a viewset's field filters once, at start: each name is a field of the schema (its kind
 * decides how values are read) unless its declaration says the kind; a lookup its kind cannot
 * take, or a parameter the list reads already, is a SetupError.
 */
export function compileFilters(view: FilteredView, declared: FilterFields = {}): CompiledFilters {
  const filters: ParamFilter[] = []
  const methods: Record<string, TSchema> = {}
  const take = (filter: ParamFilter) => {
    if (view.reserved.has(filter.param) || filters.some((f) => f.param === filter.param)) {
      throw new SetupError('ERR_FILTER_PARAM', view.basename, filter.param)
    }
    filters.push(filter)
  }
  for (const [name, declaration] of Object.entries(declared)) {
    if (isMethodFilter(declaration)) {
      take({
        param: name,
        schema: declaration.schema,
        read: (raw, request) =>
          raw === ''
            ? null
            : { condition: methodCondition(name, declaration, raw, request), values: [] },
      })
      methods[name] = Type.Optional(declaration.schema)
      continue
    }
    const spelled: FieldFilter = isLookupList(declaration) ? { lookups: declaration } : declaration
    const field = Object.hasOwn(view.fields, name) ? view.fields[name] : undefined
    const kind = spelled.kind ?? (field && KIND_OF_FIELD[field.kind])
    if (kind === undefined || !Object.hasOwn(LOOKUPS_OF, kind)) {
      throw new SetupError('ERR_FILTER_FIELD', view.basename, name)
    }
    const choices =
      spelled.choices ?? (field?.jsonSchema as { enum?: string[] } | undefined)?.enum ?? []
    const column = spelled.column ?? `${view.table}.${name}`
    for (const lookup of spelled.lookups) {
      if (!LOOKUPS_OF[kind].includes(lookup)) {
        throw new SetupError(
          'ERR_FILTER_LOOKUP',
          view.basename,
          name,
          lookup,
          kind,
          LOOKUPS_OF[kind].join(', '),
        )
      }
      take(paramFilter(name, lookup, column, kind, choices))
    }
  }
  if (filters.length === 0) return NO_FILTERS
  return {
    query: Object.fromEntries(
      filters.filter((f) => !Object.hasOwn(methods, f.param)).map((f) => [f.param, f.schema]),
    ),
    methods,
    read(request) {
      const conditions: FilterCondition[] = []
      const values: unknown[] = []
      let perRequest = false
      let errors: FieldErrors | null = null
      for (const filter of filters) {
        const raw = queryParam(request, filter.param)
        if (raw === undefined) continue
        const read = filter.read(raw, request)
        if (read === null) continue
        if (typeof read === 'string') {
          errors ??= {}
          errors[filter.param] = [read]
          continue
        }
        conditions.push(read.condition)
        values.push(...read.values)
        perRequest ||= read.condition.perRequest === true
      }
      if (errors) throw new ValidationError(errors)
      return conditions.length ? { conditions, values, perRequest } : NOTHING
    },
  }
}

function isLookupList(
  declaration: readonly FilterLookup[] | FieldFilter,
): declaration is readonly FilterLookup[] {
  return Array.isArray(declaration)
}

function isMethodFilter(
  declaration: readonly FilterLookup[] | FieldFilter | MethodFilter,
): declaration is MethodFilter {
  return typeof (declaration as MethodFilter).where === 'function'
}
