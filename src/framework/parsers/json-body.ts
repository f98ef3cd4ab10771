import { ParseError } from '../errors.ts'
import { BodyProblem, tooManyFields } from './body-problem.ts'
import { jsonKeysExceed } from './json-keys.ts'
import { utf8Error } from './utf8-error.ts'

// JSON is UTF-8 (RFC 8259): an invalid byte is refused, never stored as U+FFFD. A BOM is kept, so
// JSON.parse refuses it as Python's json does.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function parseError(message: string): BodyProblem {
  return new BodyProblem(new ParseError(`JSON parse error - ${message}`))
}

/**
 * A JSON body (DRF's JSONParser): the value, `{}` for an empty body, or the problem: more than
 * `maxKeys` keys (counted before any parse, so the refusal stays cheap), bytes that are not UTF-8,
 * or text that is not JSON.
 */
export function parseJsonBody(bytes: Buffer, maxKeys: number): unknown {
  if (jsonKeysExceed(bytes, maxKeys)) return tooManyFields(maxKeys)
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return parseError(utf8Error(bytes) ?? 'invalid utf-8')
  }
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch (err) {
    return parseError((err as Error).message)
  }
}
