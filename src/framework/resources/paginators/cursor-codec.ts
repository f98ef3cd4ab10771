import { NotFound } from '../../errors.ts'

/** Where a cursor page starts: DRF's Cursor(offset, reverse, position). */
export interface Cursor {
  /** Rows to skip past the position (rows that share its value). */
  offset: number
  /** Whether the page is read backwards (a previous link). */
  reverse: boolean
  /** The first order column's value the page starts after, as text; null: the list's start. */
  position: string | null
}

/** DRF's offset_cutoff: a cursor skips at most this many rows. */
const OFFSET_CUTOFF = 1000

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
// What Python's int() reads: surrounding space, a sign, digits with single underscores between.
const PYTHON_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/

const int = (text: string) => Number(text.trim().replaceAll('_', ''))

// Python's quote_plus: what encodeURIComponent leaves, less the characters it adds to RFC 3986.
const quotePlus = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+')

/** The cursor as DRF writes it: base64 of `o=…&r=1&p=…`, each part only when it is not the default. */
export function encodeCursor({ offset, reverse, position }: Cursor): string {
  const tokens: string[] = []
  if (offset !== 0) tokens.push(`o=${offset}`)
  if (reverse) tokens.push('r=1')
  if (position !== null) tokens.push(`p=${quotePlus(position)}`)
  return Buffer.from(tokens.join('&'), 'utf8').toString('base64')
}

/** Read a `?cursor=`; anything DRF could not read is its 404 "Invalid cursor". */
export function decodeCursor(encoded: string): Cursor {
  if (!BASE64.test(encoded)) throw invalidCursor()
  const text = Buffer.from(encoded, 'base64').toString('latin1')
  // DRF decodes the query string as ASCII: any other byte is an invalid cursor.
  if (!/^[\x20-\x7e]*$/.test(text)) throw invalidCursor()
  const tokens = new URLSearchParams(text)
  const o = tokens.get('o') ?? '0'
  const r = tokens.get('r') ?? '0'
  if (!PYTHON_INT.test(o) || !PYTHON_INT.test(r) || int(o) < 0) throw invalidCursor()
  return {
    offset: Math.min(int(o), OFFSET_CUTOFF),
    reverse: int(r) !== 0,
    position: tokens.get('p'),
  }
}

/** DRF's answer to a cursor it cannot read. */
export const invalidCursor = () => new NotFound('Invalid cursor')
