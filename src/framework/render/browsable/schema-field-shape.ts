import type { TSchema } from '@sinclair/typebox'
import type { FieldShape } from './form-field.ts'

/** A body property's JSON Schema, as the form builder reads it. */
export type JsonSchema = TSchema & {
  type?: string | string[]
  anyOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  format?: string
  contentMediaType?: string
  maxLength?: number
  description?: string
  title?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
}

const INPUT_TYPE: Record<string, string> = { email: 'email', uri: 'url', password: 'password' }
const DATE_KIND = { 'date-time': 'datetime', date: 'date', time: 'time' } as const

// DRF's CharField becomes a text area past a one-line length; an unbounded string here may as
// well be a password or a key, so only a declared long limit makes one.
const LONG_TEXT = 255

/**
 * The widget of a body property known only by its JSON Schema (a route with no resource schema):
 * choices from `enum` or `anyOf` constants, dates and times by format, files, numbers, lists.
 */
export function schemaFieldShape(schema: JsonSchema): FieldShape {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  const nullable = types.includes('null') || !!schema.anyOf?.some((s) => s.type === 'null')
  const help = schema.description
  const constants = schema.anyOf?.filter((s) => s.const !== undefined).map((s) => s.const)
  const choices = schema.enum ?? (constants?.length ? constants : undefined)
  if (choices) {
    const options = choices.map((c) => ({ value: String(c), label: String(c) }))
    return { kind: 'choice', choices: options, nullable, help }
  }
  if (schema.format === 'binary' || schema.contentMediaType) return { kind: 'file', nullable, help }
  if (types.includes('boolean')) return { kind: 'boolean', nullable, help }
  if (types.includes('integer')) return { kind: 'integer', step: '1', nullable, help }
  if (types.includes('number')) return { kind: 'number', step: 'any', nullable, help }
  if (types.includes('array')) {
    return { kind: 'list', nullable, help: help ?? 'Comma-separated values.' }
  }
  const format = schema.format ?? ''
  if (format in DATE_KIND) {
    return { kind: DATE_KIND[format as keyof typeof DATE_KIND], nullable, help }
  }
  if (format === 'decimal') return { kind: 'decimal', step: 'any', nullable, help }
  const long = schema.maxLength !== undefined && schema.maxLength > LONG_TEXT
  return {
    kind: long && !INPUT_TYPE[format] ? 'text' : 'string',
    nullable,
    help,
    inputType: INPUT_TYPE[format] ?? 'text',
    maxLength: schema.maxLength,
  }
}
