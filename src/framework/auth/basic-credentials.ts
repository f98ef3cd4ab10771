/** The login and password of an `Authorization: Basic` header. */
export interface BasicCredentials {
  login: string
  password: string
}

// Each base64 character's value; anything else is skipped, as Python's decoder skips it.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i
const PAD = 61 // '='

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Base64 read as Python's `base64.b64decode` reads it (DRF's BasicAuthentication): characters
 * outside the alphabet are skipped, padding that completes a group ends the input, and a group
 * left incomplete is an error (null). Node's decoder accepts what DRF refuses, hence this one.
 */
export function decodeBase64Loosely(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.ceil((text.length * 3) / 4))
  let length = 0
  let group = 0
  let bits = 0
  let pads = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === PAD) {
      if (group >= 2 && group + ++pads >= 4) return out.subarray(0, length)
      continue
    }
    const value = code < 128 ? VALUE[code] : -1
    if (value === -1) continue
    pads = 0
    // Six bits in; a byte out whenever eight are waiting (the 2nd, 3rd and 4th of a group).
    bits = ((bits << 6) | value) & 0xfff
    if (group > 0) out[length++] = (bits >> (6 - 2 * group)) & 0xff
    group = (group + 1) % 4
  }
  return group === 0 ? out.subarray(0, length) : null
}

/**
 * A Basic header's credentials, as DRF reads them: base64 (null when it is not), then UTF-8 or,
 * failing that, Latin-1, split at the first colon (no colon: all login, empty password).
 */
export function basicCredentials(encoded: string): BasicCredentials | null {
  const bytes = decodeBase64Loosely(encoded)
  if (bytes === null) return null
  let decoded: string
  try {
    decoded = utf8.decode(bytes)
  } catch {
    decoded = Buffer.from(bytes).toString('latin1')
  }
  const colon = decoded.indexOf(':')
  return colon === -1
    ? { login: decoded, password: '' }
    : { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
