import type pg from 'pg'
import { isoTimestamp } from './iso-timestamp.ts'

/** pg's type parsers, with `timestamptz` read as ISO 8601 UTC text keeping microseconds. */
export function pgTypes(types: typeof pg.types): pg.CustomTypesConfig {
  const parseTimestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text')
  // PostgreSQL stores microseconds; pg's Date keeps milliseconds. Read ISO text instead, as SQLite
  // gives it, so a client's `…53.318601Z` comes back as it was written on both dialects.
  function timestamptz(text: string): unknown {
    const parsed = parseTimestamptz(text)
    if (!(parsed instanceof Date)) return parsed // ±infinity
    return isoTimestamp(parsed, /\.(\d+)/.exec(text)?.[1])
  }
  return {
    getTypeParser: (oid, format) =>
      oid === types.builtins.TIMESTAMPTZ && format !== 'binary'
        ? timestamptz
        : types.getTypeParser(oid, format),
  }
}
