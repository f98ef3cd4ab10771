import { Type } from '@sinclair/typebox'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'

// Django's parse_date: a year of four digits, a month and a day of one or two.
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The day as YYYY-MM-DD, or null for a day no calendar has (February 30th). */
function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day))
  date.setUTCFullYear(year)
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** A calendar day (DRF's DateField), read and shown as YYYY-MM-DD. */
export function date(options: FieldOptions<string> = {}): Field<string> {
  const field = makeField<string>('date', Type.String({ format: 'date' }), options, (value) => {
    const parts = typeof value === 'string' ? ISO_DATE.exec(value.trim()) : null
    const day = parts && isoDate(Number(parts[1]), Number(parts[2]), Number(parts[3]))
    return day
      ? ok(day)
      : fail('Date has wrong format. Use one of these formats instead: YYYY-MM-DD.')
  })
  return {
    ...field,
    // pg reads a PostgreSQL date as a Date at local midnight; SQLite keeps the text written.
    represent: (stored: unknown) =>
      stored instanceof Date
        ? `${pad(stored.getFullYear(), 4)}-${pad(stored.getMonth() + 1)}-${pad(stored.getDate())}`
        : stored,
  } as Field<string>
}
