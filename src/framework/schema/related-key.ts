import type { FastifyRequest } from 'fastify'
import { type SelectQueryBuilder, sql } from 'kysely'
import type { Tables } from '../db/tables.ts'
import { type FieldResult, fail, ok, type ValidationContext } from './field.ts'
import { pythonTypeName } from './python-type-name.ts'

/** A table of the server, by name. */
export type TableName = keyof Tables & string

/** How a related table's primary key is spelled: an integer, or a UUID (as text). */
export type PkType = 'integer' | 'uuid'

/** The value of a key of that type. */
export type PkValue<K extends PkType> = K extends 'uuid' ? string : number

/**
 * Narrow the rows a related key may name to those this request may use (DRF's `get_queryset`
 * on a related field), e.g. `(request, query) => query.where('owner_id', '=', request.user!.id)`.
 */
export type RelatedScope<T extends TableName> = <O>(
  request: FastifyRequest,
  query: SelectQueryBuilder<Tables, T, O>,
) => SelectQueryBuilder<Tables, T, O>

/** What a relation points at: for forms (its choices) and documentation. */
export interface Relation {
  /** The related table. */
  readonly table: TableName
  /** Its key column, qualified (`users.id`). */
  readonly column: string
  readonly pkType: PkType
  /** A list of keys (many=True) rather than one. */
  readonly many: boolean
  /** For a many-to-many, the table that joins the two: one row per pair. */
  readonly through?: {
    readonly table: TableName
    /** Its column holding this resource's key (`note_id`). */
    readonly from: string
    /** Its column holding the related row's key (`user_id`). */
    readonly to: string
  }
  /** The rows this request may name. */
  // biome-ignore lint/suspicious/noExplicitAny: a scope over whichever table the relation names
  readonly scope: RelatedScope<any>
}

// What Python's int() takes: optional blanks around an optional sign and digits.
const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/
const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

const incorrectType = (value: unknown) =>
  fail(`Incorrect type. Expected pk value, received ${pythonTypeName(value)}.`)

const hyphenated = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`

/**
 * One key as the client sent it, converted as Django's lookup converts it (DRF's
 * PrimaryKeyRelatedField): a wrong type is DRF's "Incorrect type", a text that is no UUID is
 * Django's UUIDField message, and a whole number names the UUID of that value, as uuid.UUID(int=).
 */
export function parsePk<K extends PkType>(value: unknown, pkType: K): FieldResult<PkValue<K>> {
  if (typeof value === 'boolean') return incorrectType(value)
  if (pkType === 'integer') {
    if (typeof value === 'number' && Number.isInteger(value)) return ok(value as PkValue<K>)
    if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
      return ok(Number(value) as PkValue<K>)
    }
    return incorrectType(value)
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return ok(hyphenated(value.toString(16).padStart(32, '0')) as PkValue<K>)
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value).trim()
    return UUID_TEXT.test(text)
      ? ok(hyphenated(text.replaceAll('-', '').toLowerCase()) as PkValue<K>)
      : fail(`“${String(value)}” is not a valid UUID.`)
  }
  return incorrectType(value)
}

/** The key a value `parsePk` took names (a UUID in its one spelling, a number). */
export function keyOf<K extends PkType>(sent: unknown, pkType: K): PkValue<K> {
  const parsed = parsePk(sent, pkType)
  if (!parsed.ok) throw new Error(`not a ${pkType} key: ${String(sent)}`)
  return parsed.value
}

/** DRF's message for a key no visible row has; another user's row reads exactly the same. */
export const doesNotExist = (pk: unknown) => `Invalid pk "${String(pk)}" - object does not exist.`

/**
 * The keys among `pks` that name a row of the relation within its scope for this request, in one
 * query. Past a safe integer no key can match; bigint keeps PostgreSQL's int4 from a range error.
 */
export async function visibleKeys(
  relation: Relation,
  pks: readonly unknown[],
  { request, db }: ValidationContext,
): Promise<Set<unknown>> {
  const wanted =
    relation.pkType === 'integer'
      ? pks.filter((pk) => Number.isSafeInteger(pk)).map((pk) => sql`cast(${pk} as bigint)`)
      : pks
  if (wanted.length === 0) return new Set()
  // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot name the row type of a generic table
  const all = db.selectFrom(relation.table as any) as SelectQueryBuilder<Tables, any, object>
  const rows = await relation
    .scope(request, all)
    .select(sql.ref(relation.column).as('pk'))
    .where(sql.ref(relation.column), 'in', wanted)
    .execute()
  // PostgreSQL may answer a bigint key as text, and a uuid as its own spelling: compare as text.
  const found = new Set(rows.map((row) => String((row as { pk: unknown }).pk).toLowerCase()))
  return new Set(pks.filter((pk) => found.has(String(pk).toLowerCase())))
}
