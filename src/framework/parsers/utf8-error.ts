// The bytes a second byte may take after each lead byte (Unicode's well-formed sequences): the
// others are overlong forms, surrogates or past U+10FFFF.
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf]
  if (lead === 0xed) return [0x80, 0x9f]
  if (lead === 0xf0) return [0x90, 0xbf]
  if (lead === 0xf4) return [0x80, 0x8f]
  return [0x80, 0xbf]
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

function describe(bytes: Uint8Array, from: number, to: number, reason: string): string {
  const where =
    from === to
      ? `byte 0x${bytes[from].toString(16).padStart(2, '0')} in position ${from}`
      : `bytes in position ${from}-${to}`
  return `'utf-8' codec can't decode ${where}: ${reason}`
}

/**
 * Why `bytes` is not UTF-8, in Python's words (what DRF's "JSON parse error - …" quotes), at the
 * first bad sequence; null when it is UTF-8. Called only once a strict decoder has refused.
 */
export function utf8Error(bytes: Uint8Array): string | null {
  let i = 0
  while (i < bytes.length) {
    const lead = bytes[i]
    if (lead < 0x80) {
      i++
      continue
    }
    const length = sequenceLength(lead)
    if (length === 0) return describe(bytes, i, i, 'invalid start byte')
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return describe(bytes, i, i + k - 1, 'unexpected end of data')
      const [low, high] = k === 1 ? secondByteRange(lead) : [0x80, 0xbf]
      const b = bytes[i + k]
      if (b < low || b > high) return describe(bytes, i, i + k - 1, 'invalid continuation byte')
    }
    i += length
  }
  return null
}
