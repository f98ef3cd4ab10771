import { describe, expect, it } from 'vitest'
import { f } from '../../../src/framework/index.ts'

// DRF's DecimalField(max_digits=6, decimal_places=2) as a numeric(6, 2) column holds it.
const price = f.decimal({ maxDigits: 6, decimalPlaces: 2 })

describe('f.decimal', () => {
  it.each([
    ['12.5', '12.50'],
    [12.5, '12.50'],
    ['  7 ', '7.00'],
    ['-0.05', '-0.05'],
    ['0012.30', '12.30'],
    ['.5', '0.50'],
    ['1e2', '100.00'],
    ['1234.56', '1234.56'],
    ['-0', '0.00'],
  ])('reads %s as %s', (input, output) => {
    expect(price.parse(input)).toEqual({ ok: true, value: output })
  })

  it.each([
    ['abc', 'A valid number is required.'],
    ['NaN', 'A valid number is required.'],
    ['Infinity', 'A valid number is required.'],
    ['', 'A valid number is required.'],
    ['.', 'A valid number is required.'],
    [true, 'A valid number is required.'],
    ['12345.67', 'Ensure that there are no more than 6 digits in total.'],
    ['1.234', 'Ensure that there are no more than 2 decimal places.'],
    ['0.001', 'Ensure that there are no more than 2 decimal places.'],
    ['12345', 'Ensure that there are no more than 4 digits before the decimal point.'],
    ['1e4', 'Ensure that there are no more than 4 digits before the decimal point.'],
    ['1e999999999', 'Ensure that there are no more than 6 digits in total.'],
    ['1'.repeat(1001), 'String value too large.'],
  ])('refuses %s: %s', (input, message) => {
    expect(price.parse(input)).toEqual({ ok: false, errors: [message] })
  })
})
