import type { TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { RouteEntry } from '../../route-table.ts'
import { isRequired } from '../../schema/resource-schema.ts'
import { fieldHelp, fieldWidget } from './field-widget.ts'
import { type FormField, labelOf } from './form-field.ts'
import { html, type Raw } from './html.ts'
import { resourceFieldShape } from './resource-field-shape.ts'
import { type JsonSchema, schemaFieldShape } from './schema-field-shape.ts'

export type { FieldKind, FormField } from './form-field.ts'

function fromBody(body: TSchema): FormField[] {
  const schema = body as JsonSchema
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    label: labelOf(name, property.title),
    required: required.has(name),
    ...schemaFieldShape(property),
  }))
}

/**
 * The inputs of a route's form: from its resource schema's writable fields when it has one (their
 * kinds and options, relations listed in the request's scope), else from its body's JSON Schema.
 */
export async function formFields(
  entry: Pick<RouteEntry, 'body' | 'serializer'>,
  request: FastifyRequest,
): Promise<FormField[]> {
  if (!entry.serializer) return entry.body ? fromBody(entry.body) : []
  const context = { request, db: request.server.db }
  const writable = Object.entries(entry.serializer).filter(([, f]) => !f.options.readOnly)
  // A PATCH body marks nothing required; its route shares the resource's fields.
  const required = new Set((entry.body as JsonSchema | undefined)?.required ?? [])
  return Promise.all(
    writable.map(async ([name, field]) => ({
      name,
      label: labelOf(name, field.options.label),
      required: required.has(name) && isRequired(field),
      ...(await resourceFieldShape(field, context)),
    })),
  )
}

/** One field's label, input, help and inline errors; `id` prefixes the ids in the page. */
export function renderField(
  field: FormField,
  id: string,
  value: unknown,
  errors: string[] | undefined,
): Raw {
  const inputId = `${id}-${field.name}`
  const helpText = fieldHelp(field)
  const describedBy = [helpText && `${inputId}-help`, errors?.length && `${inputId}-errors`]
    .filter(Boolean)
    .join(' ')
  const flags = html`${field.nullable ? html` data-nullable` : ''}${field.required ? html` data-required` : ''}${field.allowBlank ? html` data-allow-blank` : ''}`
  const common = html` name="${field.name}" id="${inputId}" data-kind="${field.kind}"${flags}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${errors?.length ? html` aria-invalid="true"` : ''}`
  const mark = field.required ? html`<span class="required" aria-hidden="true">*</span>` : ''
  const input = fieldWidget(field, common, value)
  const help = helpText ? html`<p class="help" id="${inputId}-help">${helpText}</p>` : ''
  const errorList = errors?.length
    ? html`<ul class="field-errors" id="${inputId}-errors">${errors.map((e) => html`<li>${e}</li>`)}</ul>`
    : ''
  const labelHtml = html`<label for="${inputId}">${field.label}${mark}</label>`
  return field.kind === 'boolean'
    ? html`<div class="field checkbox">${input}${labelHtml}${help}${errorList}</div>`
    : html`<div class="field${errors?.length ? ' has-error' : ''}">${labelHtml}${input}${help}${errorList}</div>`
}

// What the raw JSON holds for a field with no value: DRF's empty value of its kind.
function emptyValue(field: FormField): unknown {
  if (field.kind === 'boolean') return false
  if (field.kind === 'list' || field.kind === 'related-many') return []
  if (field.kind === 'string' || field.kind === 'text' || field.kind === 'choice') return ''
  return null
}

/** The raw JSON a "Raw data" form starts with: the current values, or empty ones (as DRF). */
export function rawContent(fields: FormField[], values: Record<string, unknown>): string {
  const content: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.kind === 'file') continue
    content[field.name] = values[field.name] !== undefined ? values[field.name] : emptyValue(field)
  }
  return JSON.stringify(content, null, 4)
}
