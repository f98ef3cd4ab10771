import type { FormField } from './form-field.ts'
import { html, type Raw } from './html.ts'

// The value attribute each date and time input reads: local wall time, without a zone.
const DATE_VALUE = {
  datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?/,
  date: /^\d{4}-\d{2}-\d{2}/,
  time: /^\d{2}:\d{2}(?::\d{2})?/,
}
const DATE_INPUT = { datetime: 'datetime-local', date: 'date', time: 'time' }
const DATE_HELP = { datetime: 'Date and time in UTC.', date: 'YYYY-MM-DD.', time: 'hh:mm:ss.' }

function valueText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2)
}

// The shown moment in UTC (the page cannot know the reader's zone): the input reads wall time.
function dateValue(kind: keyof typeof DATE_VALUE, value: unknown): string {
  if (typeof value !== 'string') return ''
  const text = kind === 'datetime' ? value.replace(' ', 'T') : value
  return DATE_VALUE[kind].exec(text)?.[0] ?? ''
}

function selected(choice: string, value: unknown) {
  const chosen = Array.isArray(value) ? value.map(String) : value == null ? [] : [String(value)]
  return chosen.includes(choice)
}

// A blank option, unless a choice must be made and none is chosen (then the browser asks for one).
function select(field: FormField, common: Raw, value: unknown): Raw {
  const many = field.kind === 'related-many'
  const blank = !many && (field.nullable || !field.required || value == null)
  const options = [
    blank ? html`<option value="">---------</option>` : '',
    (field.choices ?? []).map(
      (c) =>
        html`<option value="${c.value}"${selected(c.value, value) ? html` selected` : ''}>${c.label}</option>`,
    ),
    field.cutOff
      ? html`<option value="n/a" disabled>More than ${field.cutOff} items...</option>`
      : '',
  ]
  return html`<select${many ? html` multiple` : ''}${common}>${options}</select>`
}

/** The input of one form field, filled with its value; `common` carries its name, id and ARIA. */
export function fieldWidget(field: FormField, common: Raw, value: unknown): Raw {
  switch (field.kind) {
    case 'boolean':
      return html`<input type="checkbox" value="true"${common}${value === true ? html` checked` : ''}>`
    case 'choice':
    case 'related':
    case 'related-many':
      return select(field, common, value)
    case 'file':
      return html`<input type="file"${common}>`
    case 'text':
    case 'json': {
      const text = field.kind === 'json' ? jsonText(value) : valueText(value)
      const max = field.maxLength ? html` maxlength="${field.maxLength}"` : ''
      return html`<textarea rows="4"${max}${common}>${text}</textarea>`
    }
    case 'datetime':
    case 'date':
    case 'time': {
      const step = field.kind === 'date' ? '' : html` step="1"`
      // The input holds whole seconds; the value as shown goes back as it was if left alone.
      const exact = typeof value === 'string' ? html` data-value="${value}"` : ''
      return html`<input type="${DATE_INPUT[field.kind]}"${step} value="${dateValue(field.kind, value)}"${exact}${common}>`
    }
    case 'integer':
    case 'number':
    case 'decimal':
      return html`<input type="number" step="${field.step ?? 'any'}" value="${valueText(value)}"${common}>`
    default: {
      const max = field.maxLength ? html` maxlength="${field.maxLength}"` : ''
      return html`<input type="${field.inputType ?? 'text'}"${max} value="${valueText(value)}"${common}>`
    }
  }
}

/** The help shown under a field: its description, else what a date or time input takes. */
export function fieldHelp(field: FormField): string | undefined {
  if (field.help) return field.help
  if (field.kind === 'datetime' || field.kind === 'date' || field.kind === 'time') {
    return DATE_HELP[field.kind]
  }
  if (field.kind === 'json') return 'JSON.'
  if (field.kind === 'related-many') return 'Hold Ctrl (⌘ on a Mac) to choose more than one.'
  return undefined
}
