import type { TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Tables } from '../db/tables.ts'
import type { Relation } from './related-key.ts'

/** The outcome of validating one input value: the clean value, or DRF's messages. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; errors: string[] }

/** A single-value validator: a message when the value is refused, else null. */
// Method syntax keeps validators bivariant, so a Field<string> is usable as a Field<unknown>.
export type Validator<T> = { check(value: T): string | null }['check']

/** Options every field takes (DRF's Field arguments). */
export interface FieldOptions<T> {
  /** Shown in output, ignored in input (a posted value is dropped, never an error). */
  readOnly?: boolean
  /** Taken in input, never shown in output (DRF's write_only): a password, a secret answer. */
  writeOnly?: boolean
  /** Must be present on create/full update; default: true unless readOnly or a default is set. */
  required?: boolean
  /** `null` is accepted and stored. */
  nullable?: boolean
  /** The value used on create when the field is absent. */
  default?: T | (() => T)
  /** Must not equal another row's value (checked in the database, race-safe). */
  unique?: boolean
  /** The message for a duplicate; "{model} with this {label} already exists." by default. */
  uniqueMessage?: string
  /** The human name in messages ("email address"); the field name with spaces by default. */
  label?: string
  validators?: Validator<T>[]
  /** Set to the current time when the object is created (Django's auto_now_add). */
  autoNowAdd?: boolean
  /** Set to the current time on every save (Django's auto_now). */
  autoNow?: boolean
  /** A one-line description for OpenAPI and the browsable API. */
  description?: string
  /** How the browsable API's form shows the field (DRF's `style`). */
  style?: FieldStyle
}

/** How a form shows a field (DRF's `style` argument). */
export interface FieldStyle {
  /** The input's type: `password` hides what is typed. */
  inputType?: 'password' | 'text'
  /** A text area rather than a one-line input (DRF's `base_template: 'textarea.html'`). */
  multiline?: boolean
}

/** One object a related field may name, as a form's select lists it. */
export interface RelatedChoice {
  /** The object's key, as the form sends it. */
  value: string
  /** What the option shows: the object's name, or its key. */
  label: string
}

/** What validation may consult beyond the body (DRF's serializer context): who asks, and where. */
export interface ValidationContext {
  readonly request: FastifyRequest
  /** The database (or the transaction) the checks read. */
  readonly db: Kysely<Tables>
}

/** What a field loading related data for a page of rows reads. */
export interface LoadContext {
  readonly db: Kysely<Tables>
  /** The column of the rows' primary key (`id`). */
  readonly pk: string
}

/** One field of a resource schema: its JSON Schema (serialization, OpenAPI) and its validation. */
export interface Field<T = unknown> {
  readonly kind: string
  readonly jsonSchema: TSchema
  readonly options: FieldOptions<T>
  /** Validate and convert one present, non-null input value. */
  parse(value: unknown): FieldResult<T>
  /**
   * Check a parsed value against the database in the request's scope (a related object that
   * must exist and be the requester's); runs in the same validation pass, after `parse`.
   */
  resolve?(value: T, context: ValidationContext): Promise<FieldResult<T>>
  /**
   * The objects this request may name, in key order, at most `limit` of them (DRF's
   * RelatedField.get_choices); set on related fields, for the browsable API's select.
   */
  relatedChoices?(context: ValidationContext, limit: number): Promise<RelatedChoice[]>
  /** Validate and convert a value sent in a form (a text); `parse` is used when unset. */
  parseForm?(value: unknown): FieldResult<T>
  /** The value as its column takes it (JSON text); the validated value itself when unset. */
  store?(value: T): unknown
  /** The stored value as this request is shown it (DRF's to_representation); as stored if unset. */
  represent?(value: T, request: FastifyRequest): unknown
  /** What a related field points at (its table, key and scope), for forms and documentation. */
  readonly relation?: Relation
  /**
   * Fill this field on a page of loaded rows, in one query for the page whatever its length
   * (Django's prefetch_related): a many-to-many's keys, a nested object. `pk` names the rows' key.
   */
  load?(rows: Record<string, unknown>[], name: string, context: LoadContext): Promise<void>
  /**
   * Write the value for the saved row whose key is `id`, in the request's transaction, after the
   * row itself (a many-to-many's through rows); such a field is no column of the row.
   */
  write?(trx: Kysely<Tables>, id: unknown, value: T): Promise<void>
  /** Phantom: the TypeScript type of the field's value. */
  readonly _type?: T
}

/** Build a field from its kind, JSON Schema, conversion and options. */
export function makeField<T>(
  kind: string,
  jsonSchema: TSchema,
  options: FieldOptions<T>,
  convert: (value: unknown) => FieldResult<T>,
): Field<T> {
  const validators = options.validators ?? []
  return {
    kind,
    jsonSchema: {
      ...jsonSchema,
      // A schema of any type (a JSON field's) takes null already.
      ...(options.nullable && jsonSchema.type !== undefined && { type: [jsonSchema.type, 'null'] }),
      ...(options.description && { description: options.description }),
    },
    options,
    parse(value) {
      const result = convert(value)
      if (!result.ok) return result
      const errors: string[] = []
      for (const validate of validators) {
        const message = validate(result.value)
        if (message) errors.push(message)
      }
      return errors.length ? { ok: false, errors } : result
    },
  }
}

/** Success. */
export const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value })
/** Failure with DRF messages. */
export const fail = (...errors: string[]): FieldResult<never> => ({ ok: false, errors })
