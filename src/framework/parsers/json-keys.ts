const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
// The fewest bytes a key can take in a JSON text: `"":{` (an empty name opening a nested object).
const MIN_KEY_BYTES = 4

/**
 * Whether a JSON text has more than `max` keys over all its objects, counted without parsing it:
 * in valid JSON every colon outside a string ends a key. A byte scan is exact on UTF-8 (no
 * multi-byte sequence contains `"`, `\` or `:`), stops at the first key too many, and is skipped
 * for a body too short to hold that many.
 */
export function jsonKeysExceed(bytes: Uint8Array, max: number): boolean {
  if (bytes.length <= max * MIN_KEY_BYTES) return false
  let keys = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    } else if (b === QUOTE) inString = true
    else if (b === COLON && ++keys > max) return true
  }
  return false
}
