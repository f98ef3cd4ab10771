import type { Field, ValidationContext } from '../../schema/field.ts'
import type { ChoiceOptions, DecimalOptions, StringOptions } from '../../schema/fields.ts'
import type { FieldShape } from './form-field.ts'
import { type JsonSchema, schemaFieldShape } from './schema-field-shape.ts'

/** The most objects a relation's select lists (DRF's HTML_SELECT_CUTOFF). */
export const HTML_SELECT_CUTOFF = 1000

// DRF's CharField with no max_length (Django's TextField) or a long one is a text area.
const LONG_TEXT = 255

const INPUT_TYPE: Record<string, string> = { email: 'email', url: 'url' }
const DATE_KINDS = new Set(['datetime', 'date', 'time'])

function stringShape(field: Field<unknown>, base: FieldShape): FieldShape {
  const options = field.options as StringOptions
  const style = options.style ?? {}
  const long = options.maxLength === undefined || options.maxLength > LONG_TEXT
  const inputType = style.inputType ?? INPUT_TYPE[field.kind] ?? 'text'
  const multiline = style.multiline ?? (field.kind === 'string' && !style.inputType && long)
  return {
    ...base,
    kind: multiline ? 'text' : 'string',
    inputType,
    maxLength: options.maxLength,
    allowBlank: options.allowBlank === true,
  }
}

async function relatedShape(
  field: Field<unknown>,
  base: FieldShape,
  context: ValidationContext,
): Promise<FieldShape> {
  // One more than the cutoff says whether there are more than it.
  const found = await field.relatedChoices!(context, HTML_SELECT_CUTOFF + 1)
  const many = schemaFieldShape(field.jsonSchema as JsonSchema).kind === 'list'
  return {
    ...base,
    kind: many ? 'related-many' : 'related',
    choices: found.slice(0, HTML_SELECT_CUTOFF),
    ...(found.length > HTML_SELECT_CUTOFF && { cutOff: HTML_SELECT_CUTOFF }),
  }
}

/**
 * The widget of a resource schema's field, from its kind and options (DRF's field-to-template
 * mapping): strings by length and style, choices with their names, decimals with their step,
 * relations as a select of the objects the request may name (the field's own scope).
 */
export async function resourceFieldShape(
  field: Field<unknown>,
  context: ValidationContext,
): Promise<FieldShape> {
  const base: FieldShape = {
    ...schemaFieldShape(field.jsonSchema as JsonSchema),
    nullable: field.options.nullable === true,
    help: field.options.description,
  }
  if (field.relatedChoices) return relatedShape(field, base, context)
  if (field.kind === 'string' || field.kind === 'email' || field.kind === 'url') {
    return stringShape(field, base)
  }
  if (field.kind === 'choice') {
    const names = (field.options as ChoiceOptions<string>).names ?? {}
    const choices = base.choices?.map((c) => ({ value: c.value, label: names[c.value] ?? c.label }))
    return { ...base, choices }
  }
  if (field.kind === 'decimal') {
    const { decimalPlaces } = field.options as DecimalOptions
    return {
      ...base,
      kind: 'decimal',
      step: decimalPlaces ? `0.${'1'.padStart(decimalPlaces, '0')}` : '1',
    }
  }
  if (DATE_KINDS.has(field.kind)) return { ...base, kind: field.kind as FieldShape['kind'] }
  if (field.kind === 'json') return { ...base, kind: 'json' }
  return base
}
