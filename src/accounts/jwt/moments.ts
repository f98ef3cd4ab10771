/** A claim's whole seconds as the ISO text a timestamp column takes. */
export function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

/** Milliseconds since the epoch of a timestamp read back (text from SQLite, a Date from pg). */
export function msOf(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(value)
}

/** Whole seconds since the epoch of a timestamp read back. */
export function secondsOf(value: string | Date): number {
  return Math.floor(msOf(value) / 1000)
}
