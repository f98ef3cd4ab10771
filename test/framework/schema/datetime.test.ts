import { describe, expect, it } from 'vitest'
import { f } from '../../../src/framework/index.ts'

// f.datetime keeps what DRF keeps: the moment, in UTC, to the microsecond.
const when = f.datetime()

describe('f.datetime', () => {
  it.each([
    ['2026-11-01T23:44:53.318601+00:00', '2026-11-01T23:44:53.318601Z'],
    ['2026-11-01T23:44:53.318601-02:30', '2026-11-02T02:14:53.318601Z'],
    ['2026-11-01T23:44:53.000001Z', '2026-11-01T23:44:53.000001Z'],
    ['2026-11-01T23:44:53.5Z', '2026-11-01T23:44:53.500Z'],
    ['2026-11-01T23:44:53.123Z', '2026-11-01T23:44:53.123Z'],
    ['2026-11-01 23:44:53+0100', '2026-11-01T22:44:53.000Z'],
    ['2026-11-01T23:44Z', '2026-11-01T23:44:00.000Z'],
  ])('reads %s as %s', (input, output) => {
    expect(when.parse(input)).toEqual({ ok: true, value: output })
  })

  it.each([
    ['yesterday'],
    ['2026-11-01T23:44:53.1234567Z'],
    ['2026-13-01T00:00:00Z'],
    ['2026-11-01'],
    [1700000000],
  ])('refuses %s with DRF message', (input) => {
    expect(when.parse(input)).toEqual({
      ok: false,
      errors: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    })
  })
})
