/** Escape text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Escape text for an HTML text node (quotes may stay as they are). */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A tagged template whose interpolations are escaped unless wrapped in `raw()`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += toHtml(value) + (strings[i + 1] ?? '')
  })
  return new Raw(out)
}

/** HTML that is already safe: inserted as is. */
export class Raw {
  constructor(readonly value: string) {}
  toString() {
    return this.value
  }
}

/** Mark a string as safe HTML. */
export const raw = (value: string) => new Raw(value)

function toHtml(value: unknown): string {
  if (value instanceof Raw) return value.value
  if (Array.isArray(value)) return value.map(toHtml).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}
