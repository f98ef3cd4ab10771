import type { TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { offeredMethods } from '../render/browsable/offered-methods.ts'
import type { RouteEntry, RouteTable } from '../route-table.ts'
import type { Field } from '../schema/field.ts'
import type { ChoiceOptions, DecimalOptions } from '../schema/fields.ts'
import { type FieldMap, isRequired } from '../schema/resource-schema.ts'

/** What OPTIONS tells of one field a method takes (DRF's SimpleMetadata.get_field_info). */
export interface FieldInfo {
  type: string
  required: boolean
  read_only: boolean
  /** Absent on a list's child only. */
  label?: string
  help_text?: string
  min_length?: number
  max_length?: number
  min_value?: number
  max_value?: number
  max_digits?: number
  decimal_places?: number
  child?: FieldInfo
  choices?: { value: string; display_name: string }[]
}

/** The fields of each method, by method: an OPTIONS answer's `actions`. */
export type Actions = Partial<Record<'POST' | 'PUT', Record<string, FieldInfo>>>

type JsonSchema = TSchema & {
  type?: string | string[]
  format?: string
  contentMediaType?: string
  enum?: unknown[]
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  title?: string
  description?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
}

// DRF's label_lookup, by our field kinds; a related key is a RelatedField ("field", no choices).
const TYPE_OF_KIND: Record<string, string> = {
  string: 'string',
  email: 'email',
  integer: 'integer',
  boolean: 'boolean',
  datetime: 'datetime',
  date: 'date',
  time: 'time',
  decimal: 'decimal',
  url: 'url',
  json: 'field',
  uuid: 'string',
  choice: 'choice',
  pk_list: 'field',
  related_pk: 'field',
  related_uuid: 'field',
  related_pk_list: 'field',
  nested: 'nested object',
  file_url: 'file upload',
}

const TYPE_OF_FORMAT: Record<string, string> = {
  email: 'email',
  uri: 'url',
  'date-time': 'datetime',
  date: 'date',
  time: 'time',
  uuid: 'string',
}

// DRF's labels are Django's verbose names with a capital first letter (capfirst).
const capfirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

function typeOfSchema(schema: JsonSchema): string {
  if (schema.enum) return 'choice'
  if (schema.format === 'binary' || schema.contentMediaType) {
    return schema.contentMediaType?.startsWith('image/') ? 'image upload' : 'file upload'
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.includes('boolean')) return 'boolean'
  if (types.includes('integer')) return 'integer'
  if (types.includes('number')) return 'float'
  if (types.includes('array')) return 'list'
  if (types.includes('object')) return 'nested object'
  if (types.includes('string')) return TYPE_OF_FORMAT[schema.format ?? ''] ?? 'string'
  return 'field'
}

// The limits DRF lists, in its order, when the field has them.
function limits(info: FieldInfo, schema: JsonSchema) {
  if (schema.minLength !== undefined) info.min_length = schema.minLength
  if (schema.maxLength !== undefined) info.max_length = schema.maxLength
  if (schema.minimum !== undefined) info.min_value = schema.minimum
  if (schema.maximum !== undefined) info.max_value = schema.maximum
}

function choicesOf(schema: JsonSchema, names: Record<string, string> = {}) {
  return schema.enum?.map((value) => ({
    value: String(value),
    display_name: names[String(value)] ?? String(value),
  }))
}

function fieldInfo(name: string, field: Field<unknown>): FieldInfo {
  const readOnly = !!field.options.readOnly
  const type = TYPE_OF_KIND[field.kind] ?? 'field'
  // Django labels the automatic integer primary key "ID"; every other label is the field's name.
  const automaticKey = name === 'id' && field.kind === 'integer' && !field.options.label
  const info: FieldInfo = {
    type,
    required: !readOnly && isRequired(field),
    read_only: readOnly,
    label: automaticKey ? 'ID' : capfirst(field.options.label ?? name.replaceAll('_', ' ')),
  }
  const schema = field.jsonSchema as JsonSchema
  if (field.options.description) info.help_text = field.options.description
  // A read-only field takes no input, so DRF gives it no limits to tell.
  if (!readOnly) limits(info, schema)
  if (field.kind === 'decimal' && !readOnly) {
    const { maxDigits, decimalPlaces } = field.options as DecimalOptions
    info.max_digits = maxDigits
    info.decimal_places = decimalPlaces
  }
  if (type === 'choice' && !readOnly) {
    info.choices = choicesOf(schema, (field.options as ChoiceOptions<string>).names)
  }
  return info
}

/** The fields of a resource schema as OPTIONS lists them, read-only ones included. */
export function serializerInfo(fields: FieldMap): Record<string, FieldInfo> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, fieldInfo(name, f)]))
}

// One property of a body's JSON Schema; a list's child has no label, as in DRF.
function schemaInfo(schema: JsonSchema, required: boolean, label?: string): FieldInfo {
  const type = typeOfSchema(schema)
  const info = { type, required, read_only: false, ...(label && { label }) } as FieldInfo
  if (schema.description) info.help_text = schema.description
  limits(info, schema)
  if (type === 'list' && schema.items) info.child = schemaInfo(schema.items, false)
  if (type === 'choice') info.choices = choicesOf(schema)
  return info
}

/** The fields of a request body's JSON Schema, for a route that declares no resource schema. */
export function bodyInfo(body: TSchema): Record<string, FieldInfo> {
  const { properties = {}, required = [] } = body as JsonSchema
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [
      name,
      schemaInfo(
        schema,
        required.includes(name),
        capfirst(schema.title ?? name.replaceAll('_', ' ')),
      ),
    ]),
  )
}

function fieldsOf(entry: RouteEntry): Record<string, FieldInfo> | null {
  if (entry.serializer) return serializerInfo(entry.serializer)
  return entry.body ? bodyInfo(entry.body) : null
}

/**
 * The `actions` of an OPTIONS answer (DRF's SimpleMetadata.determine_actions): the fields of
 * POST and PUT on this path, for each this user would pass the permissions of, as if the
 * request used it; for PUT, on the object the URL names, loaded as the route loads it.
 */
export async function determineActions(
  request: FastifyRequest,
  table: RouteTable,
  path: string,
): Promise<Actions | undefined> {
  const actions: Actions = {}
  const offered = await offeredMethods(request, table, path, ['POST', 'PUT'], true)
  for (const { method, match } of offered) {
    const fields = fieldsOf(match.entry)
    if (fields) actions[method as 'POST' | 'PUT'] = fields
  }
  return Object.keys(actions).length ? actions : undefined
}
