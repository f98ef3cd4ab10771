import type { Field } from './field.ts'

/** Whether a field's JSON Schema is a list (a many-to-many's keys): a form repeats its name. */
function takesList(field: Field<unknown>) {
  const type = (field.jsonSchema as { type?: unknown }).type
  return type === 'array' || (Array.isArray(type) && type.includes('array'))
}

/**
 * One field's value in a form body (DRF's Field.get_value on HTML input): a form sends every
 * input, blank or not, so a blank optional field reads as absent (null when nullable; kept blank
 * when blanks are allowed), an unchecked box as false and an unselected list as empty; a blank
 * required field stays blank, for the field's own message. `undefined` means absent.
 */
export function formValue(
  field: Field<unknown>,
  body: Record<string, unknown>,
  name: string,
  required: boolean,
  partial: boolean,
): unknown {
  const list = takesList(field)
  if (!(name in body)) {
    // A browser leaves out an unchecked box and a select with nothing chosen.
    if (partial) return undefined
    if (field.kind === 'boolean') return false
    return list ? [] : undefined
  }
  const value = body[name]
  if (list) return Array.isArray(value) ? value : [value]
  if (value !== '') return value
  const allowBlank = (field.options as { allowBlank?: boolean }).allowBlank === true
  if (allowBlank) return ''
  if (field.options.nullable) return null
  if (!required) return undefined
  // DRF's RelatedField reads a blank key as null: "This field may not be null."
  return field.relatedChoices ? null : ''
}
