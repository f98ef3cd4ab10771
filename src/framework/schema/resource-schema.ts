import { type TObject, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { UniqueViolation } from '../db/unique-violation.ts'
import { type FieldErrors, ValidationError } from '../errors.ts'
import { SetupError } from '../setup-errors.ts'
import type { Field, LoadContext, ValidationContext } from './field.ts'
import { formValue } from './form-value.ts'
import { pythonTypeName } from './python-type-name.ts'

/** The fields of a resource, by name. */
export type FieldMap = Record<string, Field<unknown>>

/** The value type of one field. */
export type FieldValue<F> = F extends Field<infer T> ? T : never

/** An object as the API shows it. */
export type Output<F extends FieldMap> = { [K in keyof F]: FieldValue<F[K]> }

/** Validated input: the writable fields that were sent (all required ones on create). */
export type Input<F extends FieldMap> = { [K in keyof F]?: FieldValue<F[K]> }

/** Whether another row already holds a value (excluding the object being updated). */
export type UniqueLookup = (field: string, value: unknown) => Promise<boolean>

/** What object-level validation sees besides the data: who asks, and the object updated. */
export interface ObjectValidationContext<Row = Record<string, unknown>> extends ValidationContext {
  /** A PATCH: `data` holds only the fields sent. */
  readonly partial: boolean
  /** The object an update changes, as loaded; undefined on create. */
  readonly instance: Row | undefined
}

/**
 * Object-level validation (DRF's `Serializer.validate`): runs once every field is valid; throws
 * `new ValidationError('…')` for `non_field_errors` or `new ValidationError({ field: ['…'] })`;
 * returns the data to save, changed, or nothing to keep it.
 */
export type ObjectValidator<F extends FieldMap> = (
  data: Input<F>,
  context: ObjectValidationContext,
) => Input<F> | undefined | Promise<Input<F> | undefined>

/** What a resource schema declares beyond its fields. */
export interface ResourceSchemaOptions<F extends FieldMap> {
  /** Checks across fields, after each field's own. */
  validate?: ObjectValidator<F>
  /**
   * Sets of columns no two rows may share (Django's unique_together), each backed by a unique
   * index of the table, which decides: a duplicate is a 400 in `non_field_errors`.
   */
  uniqueTogether?: readonly (readonly string[])[]
}

/** How `validate` runs: absent fields (create and PUT require them, PATCH does not), lookups. */
export interface ValidateOptions {
  partial?: boolean
  unique?: UniqueLookup
  /** The request and database, for fields that check values against the database. */
  context?: ValidationContext
  /** The object an update changes, for object-level validation. */
  instance?: Record<string, unknown>
  /** Whether the body is a form (values are text); read from the context's request by default. */
  form?: boolean
}

/**
 * One definition per resource (DRF's ModelSerializer): it validates input with DRF's messages,
 * gives the JSON Schema that Fastify compiles into a fast serializer, and feeds OpenAPI.
 */
export interface ResourceSchema<F extends FieldMap = FieldMap> {
  /** The model's name in messages: "bucketlist with this name already exists." */
  readonly modelName: string
  readonly fields: F
  /** The JSON Schema of the output object. */
  readonly output: TObject
  /** The JSON Schema of a create body (writable fields, required ones marked). */
  readonly input: TObject
  validate(data: unknown, options?: ValidateOptions): Promise<Input<F>>
  /** The field error for a unique violation reported by the database, or null. */
  uniqueError(violation: UniqueViolation): ValidationError | null
  /**
   * The values as their columns take them (a JSON field's text), in a copy without the fields
   * written apart from the row (a many-to-many's); null when no field needs either.
   */
  readonly store: ((values: Record<string, unknown>) => Record<string, unknown>) | null
  /**
   * Write the fields kept apart from the row (a many-to-many's through rows) for the saved row
   * `id`, those present in `values`, in the request's transaction; null when there are none.
   */
  readonly writeRelated:
    | ((trx: LoadContext['db'], id: unknown, values: Record<string, unknown>) => Promise<void>)
    | null
  /**
   * Fill the fields read from other tables (a many-to-many's keys, a nested object) on a page of
   * loaded rows, one query per field for the whole page; null when there are none.
   */
  readonly load: ((rows: Record<string, unknown>[], context: LoadContext) => Promise<void>) | null
  /**
   * Turn a loaded row's stored values into what this request is shown (absolute file URLs), in
   * place; null when no field needs it, so most resources pay nothing.
   */
  readonly represent: ((row: Record<string, unknown>, request: FastifyRequest) => void) | null
}

function label(name: string, field: Field<unknown>) {
  return field.options.label ?? name.replaceAll('_', ' ')
}

// Without a context a database check would be skipped, and with it the scope it enforces.
function contextFor(name: string, options: ValidateOptions): ValidationContext {
  if (options.context) return options.context
  const what =
    name === 'validate'
      ? 'the object-level validate reads the request'
      : `field "${name}" checks the database`
  throw new Error(`${what}: call validate(data, { context: { request, db } })`)
}

// DRF reads a form's values as text (its `is_json_string`), which a JSON field then parses.
const FORM = /^\s*(?:application\/x-www-form-urlencoded|multipart\/form-data)/i

function sentAsForm(options: ValidateOptions) {
  if (options.form !== undefined) return options.form
  const type = options.context?.request.headers?.['content-type']
  return typeof type === 'string' && FORM.test(type)
}

/** A unique-together set and DRF's message for a duplicate. */
interface UniqueSet {
  columns: readonly string[]
  message: string
}

// DRF names a foreign key by its field ("owner"), where the column is `owner_id`.
function setMemberName(column: string, fields: FieldMap) {
  const field = fields[column]
  const foreignKey = !field || (field.relation !== undefined && !field.relation.many)
  return foreignKey ? column.replace(/_id$/, '') : column
}

function uniqueTogetherOf(
  modelName: string,
  fields: FieldMap,
  sets: readonly (readonly string[])[],
): UniqueSet[] {
  return sets.map((columns) => {
    const distinct = new Set(columns)
    if (columns.length < 2 || distinct.size !== columns.length || columns.some((c) => !c)) {
      throw new SetupError('ERR_UNIQUE_TOGETHER', modelName, JSON.stringify(columns))
    }
    const names = columns.map((c) => setMemberName(c, fields)).join(', ')
    return { columns, message: `The fields ${names} must make a unique set.` }
  })
}

const sameColumns = (set: readonly string[], columns: string[]) =>
  set.length === columns.length && set.every((c) => columns.includes(c))

/** Whether create and PUT must send the field: not read-only and with no default, unless set. */
export function isRequired(field: Field<unknown>) {
  return field.options.required ?? (!field.options.readOnly && field.options.default === undefined)
}

// A body property: optional unless required, marked `writeOnly` for OpenAPI when it is.
function inputSchema(field: Field<unknown>) {
  const schema = field.options.writeOnly
    ? { ...field.jsonSchema, writeOnly: true }
    : field.jsonSchema
  return isRequired(field) ? schema : Type.Optional(schema)
}

/** Define a resource schema: its model name (for messages) and its fields. */
export function resourceSchema<F extends FieldMap>(
  modelName: string,
  fields: F,
  declared: ResourceSchemaOptions<F> = {},
): ResourceSchema<F> {
  const entries = Object.entries(fields)
  for (const [name, field] of entries) {
    if (field.options.readOnly && field.options.writeOnly) {
      throw new SetupError('ERR_FIELD_READ_WRITE_ONLY', name, modelName)
    }
  }
  const writable = entries.filter(([, f]) => !f.options.readOnly)
  // A write-only field is absent from the output schema, so the serializer never writes it out.
  const shown = entries.filter(([, f]) => !f.options.writeOnly)
  const output = Type.Object(Object.fromEntries(shown.map(([k, f]) => [k, f.jsonSchema])))
  const input = Type.Object(Object.fromEntries(writable.map(([k, f]) => [k, inputSchema(f)])))
  const presented = shown.filter(([, f]) => f.represent)
  const stored = entries.filter(([, f]) => f.store)
  const written = entries.filter(([, f]) => f.write)
  const loaded = shown.filter(([, f]) => f.load)
  const together = uniqueTogetherOf(modelName, fields, declared.uniqueTogether ?? [])
  const uniqueMessage = (name: string) =>
    fields[name].options.uniqueMessage ??
    `${modelName} with this ${label(name, fields[name])} already exists.`

  return {
    modelName,
    fields,
    output,
    input,
    async validate(data, options = {}) {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new ValidationError({
          non_field_errors: [
            `Invalid data. Expected a dictionary, but got ${pythonTypeName(data)}.`,
          ],
        })
      }
      const body = data as Record<string, unknown>
      const errors: FieldErrors = {}
      const clean: Record<string, unknown> = {}
      const form = sentAsForm(options)
      const partial = options.partial === true
      for (const [name, field] of writable) {
        const raw = form ? formValue(field, body, name, isRequired(field), partial) : body[name]
        if (raw === undefined) {
          if (options.partial) continue
          const fallback = field.options.default
          if (fallback !== undefined) {
            clean[name] = typeof fallback === 'function' ? fallback() : fallback
          } else if (isRequired(field)) {
            errors[name] = ['This field is required.']
          }
          continue
        }
        if (raw === null) {
          if (field.options.nullable) clean[name] = null
          else errors[name] = ['This field may not be null.']
          continue
        }
        const parsed = form && field.parseForm ? field.parseForm(raw) : field.parse(raw)
        const result =
          parsed.ok && field.resolve
            ? await field.resolve(parsed.value, contextFor(name, options))
            : parsed
        if (result.ok) clean[name] = result.value
        else errors[name] = result.errors
      }
      if (options.unique) {
        for (const [name, field] of writable) {
          if (!field.options.unique || errors[name] || clean[name] == null) continue
          if (await options.unique(name, clean[name])) errors[name] = [uniqueMessage(name)]
        }
      }
      if (Object.keys(errors).length) throw new ValidationError(errors)
      if (!declared.validate) return clean as Input<F>
      const context = {
        ...contextFor('validate', options),
        partial: options.partial === true,
        instance: options.instance,
      }
      return (await declared.validate(clean as Input<F>, context)) ?? (clean as Input<F>)
    },
    uniqueError(violation) {
      const set = together.find(({ columns }) => sameColumns(columns, violation.columns))
      if (set) return new ValidationError({ non_field_errors: [set.message] })
      // SQLite names only the index of an expression index: ours are named after their column.
      const name =
        violation.columns.find((c) => fields[c]?.options.unique) ??
        Object.keys(fields).find(
          (k) => fields[k].options.unique && violation.constraint?.includes(`_${k}_`),
        )
      return name ? new ValidationError({ [name]: [uniqueMessage(name)] }) : null
    },
    store:
      stored.length || written.length
        ? (values) => {
            const copy = { ...values }
            for (const [name, field] of stored) {
              if (copy[name] != null) copy[name] = field.store!(copy[name])
            }
            for (const [name] of written) delete copy[name]
            return copy
          }
        : null,
    writeRelated: written.length
      ? async (trx, id, values) => {
          for (const [name, field] of written) {
            if (values[name] !== undefined) await field.write!(trx, id, values[name])
          }
        }
      : null,
    load: loaded.length
      ? async (rows, context) => {
          for (const [name, field] of loaded) await field.load!(rows, name, context)
        }
      : null,
    represent: presented.length
      ? (row, request) => {
          for (const [name, field] of presented) row[name] = field.represent!(row[name], request)
        }
      : null,
  }
}
