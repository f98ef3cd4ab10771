import { Type } from '@sinclair/typebox'
import { type Field, type FieldOptions, fail, makeField, ok } from './field.ts'

/** Options of a decimal field (DRF's DecimalField): the column's precision and scale. */
export interface DecimalOptions extends FieldOptions<string> {
  /** Digits in total, as the column's precision (`numeric(6, 2)`: 6). */
  maxDigits: number
  /** Digits after the point, as the column's scale (`numeric(6, 2)`: 2). */
  decimalPlaces: number
}

// What Python's Decimal() reads, less NaN and infinities, which DRF refuses.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/
// DRF's MAX_STRING_LENGTH: a longer text is refused before it is parsed.
const MAX_STRING_LENGTH = 1000

/** A number as Python's Decimal.as_tuple() has it: sign, digits (no leading zeros), exponent. */
interface DecimalParts {
  negative: boolean
  digits: string
  exponent: number
}

function decimalParts(text: string): DecimalParts | null {
  const match = DECIMAL.exec(text)
  if (!match) return null
  const [, sign, whole, fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return null
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '')
  return { negative: sign === '-', digits, exponent: Number(exponent) - fraction.length }
}

// DRF's validate_precision: counts as Decimal's tuple does, trailing zeros included.
function precisionError(parts: DecimalParts, maxDigits: number, places: number): string | null {
  const { digits, exponent } = parts
  let total: number
  let decimals: number
  if (exponent >= 0) {
    total = digits.length + exponent
    decimals = 0
  } else if (digits.length > -exponent) {
    total = digits.length
    decimals = -exponent
  } else {
    total = -exponent
    decimals = total
  }
  const whole = total - decimals
  if (total > maxDigits) return `Ensure that there are no more than ${maxDigits} digits in total.`
  if (decimals > places) return `Ensure that there are no more than ${places} decimal places.`
  if (whole > maxDigits - places) {
    return `Ensure that there are no more than ${maxDigits - places} digits before the decimal point.`
  }
  return null
}

// The value with exactly `places` decimals (DRF's quantize; the checks above make it exact).
function fixed({ negative, digits, exponent }: DecimalParts, places: number): string {
  let whole: string
  let fraction: string
  if (exponent >= 0) {
    whole = digits + '0'.repeat(exponent)
    fraction = ''
  } else {
    const padded = digits.padStart(-exponent + 1, '0')
    whole = padded.slice(0, exponent)
    fraction = padded.slice(exponent)
  }
  whole = whole.replace(/^0+(?=\d)/, '')
  fraction = fraction.padEnd(places, '0')
  const zero = /^0*$/.test(whole + fraction)
  return `${negative && !zero ? '-' : ''}${whole}${places ? `.${fraction}` : ''}`
}

/**
 * A decimal (DRF's DecimalField): read from a number or a numeric string, checked against the
 * column's precision with DRF's messages, stored and shown as a string with its decimal places
 * ("12.50"), so no digit is lost to floating point.
 */
export function decimal(options: DecimalOptions): Field<string> {
  const { maxDigits, decimalPlaces } = options
  const field = makeField<string>(
    'decimal',
    Type.String({ format: 'decimal' }),
    options,
    (value) => {
      const invalid = 'A valid number is required.'
      if (typeof value === 'number' && !Number.isFinite(value)) return fail(invalid)
      if (typeof value !== 'string' && typeof value !== 'number') return fail(invalid)
      const text = String(value).trim()
      if (text.length > MAX_STRING_LENGTH) return fail('String value too large.')
      const parts = decimalParts(text)
      if (!parts) return fail(invalid)
      const error = precisionError(parts, maxDigits, decimalPlaces)
      return error ? fail(error) : ok(fixed(parts, decimalPlaces))
    },
  )
  return {
    ...field,
    // PostgreSQL's numeric comes back as its text; SQLite's NUMERIC affinity gives a number.
    represent: (stored: unknown) =>
      typeof stored === 'number' ? stored.toFixed(decimalPlaces) : stored,
  }
}
