/**
 * A moment as ISO 8601 UTC text: `Date.toISOString()`'s form, with the microseconds of
 * `fraction` (the digits after the seconds' dot) kept when they go beyond the millisecond, as
 * DRF keeps them ("…53.318601Z"). A JavaScript Date holds milliseconds only.
 */
export function isoTimestamp(date: Date, fraction = ''): string {
  const micros = fraction.padEnd(6, '0').slice(3, 6)
  const iso = date.toISOString()
  return micros === '000' ? iso : `${iso.slice(0, -1)}${micros}Z`
}
