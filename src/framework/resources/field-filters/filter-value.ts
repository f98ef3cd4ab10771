import { isoTimestamp } from '../../db/iso-timestamp.ts'
import { holdsNul } from '../../db/storable-text.ts'

/** The kinds of values a field filter compares a column with. */
export type FilterKind = 'text' | 'integer' | 'boolean' | 'datetime' | 'uuid' | 'choice'

/**
 * One query value read as django-filter's form field reads it: a value to bind, `skip` when the
 * form reads it as empty (the filter is then left out), or the form's message.
 */
export type ReadValue = { value: unknown } | { skip: true } | { error: string }

const SKIP: ReadValue = { skip: true }
const fail = (error: string): ReadValue => ({ error })

// What Python's Decimal reads (django-filter's NumberFilter is a DecimalField).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i
// NumberFilter's own bounds.
const DECIMAL_LIMIT = 1e50

/**
 * A number (NumberFilter): "Enter a number." Django then hands the Decimal to an integer
 * column, which truncates it (`2.7` is 2), as here. Past a safe integer the value is clamped:
 * bound as bigint, it must never overflow into a database error.
 */
function integer(text: string): ReadValue {
  if (!DECIMAL.test(text)) return fail('Enter a number.')
  const n = Number(text)
  if (n > DECIMAL_LIMIT) return fail('Ensure this value is less than or equal to 1e+50.')
  if (n < -DECIMAL_LIMIT) return fail('Ensure this value is greater than or equal to -1e+50.')
  const whole = Math.trunc(n)
  return { value: Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, whole)) }
}

/** A CharField's value: stripped, never with U+0000 (Django's ProhibitNullCharactersValidator). */
function text(raw: string): ReadValue {
  if (holdsNul(raw)) return fail('Null characters are not allowed.')
  const value = raw.trim()
  return value ? { value } : SKIP
}

// django-filter's BooleanWidget: anything else reads as "unknown", which filters nothing.
const BOOLEANS: Record<string, number> = { true: 1, '1': 1, false: 0, '0': 0 }

/** A boolean (BooleanFilter), bound as 1 or 0: SQLite's stored form, and PostgreSQL reads both. */
export function booleanValue(raw: string): ReadValue {
  const value = BOOLEANS[raw.toLowerCase()]
  return value === undefined ? SKIP : { value }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

function uuid(value: string): ReadValue {
  if (!UUID.test(value)) return fail('Enter a valid UUID.')
  const hex = value.replaceAll('-', '').toLowerCase()
  return {
    value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  }
}

// Django's DateTimeField: ISO 8601 (a space or T, seconds and fraction optional, an offset),
// or a date alone, which is its midnight; a moment with no offset is UTC (the server's zone).
const MOMENT =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/

/** A point in time as the stored text (ISO 8601 UTC): "Enter a valid date/time." */
function datetime(value: string): ReadValue {
  const m = MOMENT.exec(value)
  if (!m) return fail('Enter a valid date/time.')
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m
  const parts = [y, mo, d, h, mi, s].map(Number)
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5])
  const date = new Date(utc)
  // Date.UTC rolls February 30th over into March: a part out of its range is no date.
  const back = [
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ]
  if (back.some((n, i) => n !== parts[i])) return fail('Enter a valid date/time.')
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')
    date.setTime(date.getTime() - sign * minutes * 60_000)
  }
  date.setUTCMilliseconds(Number(fraction.padEnd(3, '0').slice(0, 3)))
  return { value: isoTimestamp(date, fraction) }
}

/**
 * Read one value for a filter of `kind`, with django-filter's message for a bad one. `choices`
 * are a choice filter's values: anything else is "Select a valid choice."
 */
export function filterValue(
  kind: FilterKind,
  raw: string,
  choices: readonly string[] = [],
): ReadValue {
  if (kind === 'boolean') return booleanValue(raw)
  if (kind === 'text') return text(raw)
  if (kind === 'choice') {
    const cleaned = text(raw)
    if (!('value' in cleaned) || choices.includes(cleaned.value as string)) return cleaned
    return fail(`Select a valid choice. ${cleaned.value} is not one of the available choices.`)
  }
  const value = raw.trim()
  if (!value) return SKIP
  if (kind === 'integer') return integer(value)
  if (kind === 'uuid') return uuid(value)
  return datetime(value)
}
