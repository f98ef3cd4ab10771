import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isoTimestamp } from '../../../src/framework/db/iso-timestamp.ts'
import { pgTypes } from '../../../src/framework/db/pg-types.ts'

describe('isoTimestamp', () => {
  it("writes Date.toISOString's form, with microseconds when there are any", () => {
    const date = new Date('2026-11-01T23:44:53.318Z')
    expect(isoTimestamp(date)).toBe('2026-11-01T23:44:53.318Z')
    expect(isoTimestamp(date, '318')).toBe('2026-11-01T23:44:53.318Z')
    expect(isoTimestamp(date, '318000')).toBe('2026-11-01T23:44:53.318Z')
    expect(isoTimestamp(date, '318601')).toBe('2026-11-01T23:44:53.318601Z')
    expect(isoTimestamp(date, '3186')).toBe('2026-11-01T23:44:53.318600Z')
  })
})

describe('pgTypes', () => {
  const timestamptz = pgTypes(pg.types).getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text')

  it('reads timestamptz as ISO 8601 UTC text, keeping microseconds', () => {
    expect(timestamptz('2026-11-01 23:44:53.318601+00')).toBe('2026-11-01T23:44:53.318601Z')
    expect(timestamptz('2026-11-02 05:14:53.318601+05:30')).toBe('2026-11-01T23:44:53.318601Z')
    expect(timestamptz('2026-11-01 23:44:53+00')).toBe('2026-11-01T23:44:53.000Z')
    expect(timestamptz('2026-11-01 23:44:53.29+00')).toBe('2026-11-01T23:44:53.290Z')
  })

  it('leaves infinity and every other type to pg', () => {
    expect(timestamptz('infinity')).toBe(Number.POSITIVE_INFINITY)
    const int8 = pgTypes(pg.types).getTypeParser(pg.types.builtins.INT8, 'text')
    expect(int8).toBe(pg.types.getTypeParser(pg.types.builtins.INT8, 'text'))
  })
})
