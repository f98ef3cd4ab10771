import { Type } from '@sinclair/typebox'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'

// Django's parse_time: hh:mm, optional seconds, optional fraction of which six digits count.
const ISO_TIME = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?$/

const pad = (n: number) => String(n).padStart(2, '0')

/** The time as Python's isoformat() writes it: hh:mm:ss, and .uuuuuu when there is a fraction. */
function isoTime(text: string): string | null {
  const parts = ISO_TIME.exec(text)
  if (!parts) return null
  const [hour, minute, second] = [parts[1], parts[2], parts[3] ?? '0'].map(Number)
  if (hour > 23 || minute > 59 || second > 59) return null
  const micro = (parts[4] ?? '').padEnd(6, '0')
  return `${pad(hour)}:${pad(minute)}:${pad(second)}${Number(micro) ? `.${micro}` : ''}`
}

/** A time of day (DRF's TimeField), shown as hh:mm:ss[.uuuuuu]. */
export function time(options: FieldOptions<string> = {}): Field<string> {
  const field = makeField<string>('time', Type.String({ format: 'time' }), options, (value) => {
    const clean = typeof value === 'string' ? isoTime(value.trim()) : null
    return clean
      ? ok(clean)
      : fail('Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].')
  })
  return {
    ...field,
    // PostgreSQL writes a time without trailing zeros ("10:30:00.5"): shown as Python shows it.
    represent: (stored) => (typeof stored === 'string' ? (isoTime(stored) ?? stored) : stored),
  }
}
