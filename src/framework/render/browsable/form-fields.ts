import type { TSchema } from '@sinclair/typebox'
import { html, type Raw } from './html.ts'

/** How a form field is edited, and how the page's script turns its input into JSON. */
export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'list' | 'file'

/** One input of a generated form. */
export interface FormField {
  name: string
  label: string
  kind: FieldKind
  required: boolean
  nullable: boolean
  help?: string
  choices?: string[]
  /** The HTML input type of a string: text, email, url. */
  inputType?: string
  maxLength?: number
}

type JsonSchema = TSchema & {
  type?: string | string[]
  anyOf?: JsonSchema[]
  const?: unknown
  format?: string
  contentMediaType?: string
  maxLength?: number
  description?: string
  title?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
}

const INPUT_TYPE: Record<string, string> = { email: 'email', uri: 'url' }

function label(name: string, schema: JsonSchema) {
  const text = schema.title ?? name.replaceAll('_', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function kindOf(schema: JsonSchema): Omit<FormField, 'name' | 'label' | 'required'> {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  const nullable = types.includes('null') || !!schema.anyOf?.some((s) => s.type === 'null')
  const help = schema.description
  const consts = schema.anyOf?.filter((s) => s.const !== undefined).map((s) => String(s.const))
  if (consts?.length) return { kind: 'choice', choices: consts, nullable, help }
  if (schema.format === 'binary' || schema.contentMediaType) return { kind: 'file', nullable, help }
  if (types.includes('boolean')) return { kind: 'boolean', nullable, help }
  if (types.includes('integer')) return { kind: 'integer', nullable, help }
  if (types.includes('number')) return { kind: 'number', nullable, help }
  if (types.includes('array')) {
    return { kind: 'list', nullable, help: help ?? 'Comma-separated values.' }
  }
  return {
    kind: 'string',
    nullable,
    help,
    inputType: INPUT_TYPE[schema.format ?? ''] ?? 'text',
    maxLength: schema.maxLength,
  }
}

/** The inputs of a form for a body schema (an object schema's properties, in order). */
export function formFields(body: TSchema): FormField[] {
  const schema = body as JsonSchema
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    label: label(name, property),
    required: required.has(name),
    ...kindOf(property),
  }))
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** One field's label, input, help and inline errors; `id` prefixes the ids in the page. */
export function renderField(
  field: FormField,
  id: string,
  value: unknown,
  errors: string[] | undefined,
): Raw {
  const inputId = `${id}-${field.name}`
  const describedBy = [field.help && `${inputId}-help`, errors?.length && `${inputId}-errors`]
    .filter(Boolean)
    .join(' ')
  const common = html` name="${field.name}" id="${inputId}" data-kind="${field.kind}"${field.nullable ? html` data-nullable` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${errors?.length ? html` aria-invalid="true"` : ''}`
  const mark = field.required ? html`<span class="required" aria-hidden="true">*</span>` : ''
  let input: Raw
  if (field.kind === 'boolean') {
    input = html`<input type="checkbox" value="true"${common}${value === true ? html` checked` : ''}>`
  } else if (field.kind === 'choice') {
    const options = [
      field.nullable || !field.required ? html`<option value="">---------</option>` : '',
      (field.choices ?? []).map(
        (c) => html`<option value="${c}"${value === c ? html` selected` : ''}>${c}</option>`,
      ),
    ]
    input = html`<select${common}>${options}</select>`
  } else if (field.kind === 'file') {
    input = html`<input type="file"${common}>`
  } else {
    const type =
      field.kind === 'integer' || field.kind === 'number' ? 'number' : (field.inputType ?? 'text')
    const step =
      field.kind === 'integer' ? html` step="1"` : field.kind === 'number' ? html` step="any"` : ''
    const max = field.maxLength ? html` maxlength="${field.maxLength}"` : ''
    input = html`<input type="${type}"${step}${max} value="${valueText(value)}"${common}>`
  }
  const help = field.help ? html`<p class="help" id="${inputId}-help">${field.help}</p>` : ''
  const errorList = errors?.length
    ? html`<ul class="field-errors" id="${inputId}-errors">${errors.map((e) => html`<li>${e}</li>`)}</ul>`
    : ''
  const labelHtml = html`<label for="${inputId}">${field.label}${mark}</label>`
  return field.kind === 'boolean'
    ? html`<div class="field checkbox">${input}${labelHtml}${help}${errorList}</div>`
    : html`<div class="field${errors?.length ? ' has-error' : ''}">${labelHtml}${input}${help}${errorList}</div>`
}

/** The raw JSON a "Raw data" form starts with: the current values, or empty ones (as DRF). */
export function rawContent(fields: FormField[], values: Record<string, unknown>): string {
  const content: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.kind === 'file') continue
    content[field.name] =
      values[field.name] !== undefined
        ? values[field.name]
        : field.kind === 'boolean'
          ? false
          : field.kind === 'list'
            ? []
            : field.kind === 'string' || field.kind === 'choice'
              ? ''
              : null
  }
  return JSON.stringify(content, null, 4)
}
