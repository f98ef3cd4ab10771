import { describe, expect, it } from 'vitest'
import { utf8Error } from '../../../src/framework/parsers/utf8-error.ts'

// Python 3's messages for each (bytes.decode('utf-8')), which DRF quotes in its JSON parse error.
const PYTHON: [number[], string][] = [
  [[0x61, 0x62, 0xff], 'byte 0xff in position 2: invalid start byte'],
  [[0xc3, 0x28], 'byte 0xc3 in position 0: invalid continuation byte'],
  [[0x61, 0xe2, 0x82], 'bytes in position 1-2: unexpected end of data'],
  [[0xe2, 0x82, 0x28], 'bytes in position 0-1: invalid continuation byte'],
  [[0xf0, 0x9f, 0x98, 0x28], 'bytes in position 0-2: invalid continuation byte'],
  [[0xf0, 0x9f, 0x98], 'bytes in position 0-2: unexpected end of data'],
  [[0xc0, 0xaf], 'byte 0xc0 in position 0: invalid start byte'],
  [[0xed, 0xa0, 0x80], 'byte 0xed in position 0: invalid continuation byte'],
  [[0xe0, 0x80, 0x80], 'byte 0xe0 in position 0: invalid continuation byte'],
  [[0xf4, 0x90, 0x80, 0x80], 'byte 0xf4 in position 0: invalid continuation byte'],
  [[0x80], 'byte 0x80 in position 0: invalid start byte'],
  [[0xc3], 'byte 0xc3 in position 0: unexpected end of data'],
]

describe('utf8Error', () => {
  it("says what Python's decoder says, at the first bad sequence", () => {
    for (const [bytes, message] of PYTHON) {
      expect(utf8Error(Uint8Array.from(bytes))).toBe(`'utf-8' codec can't decode ${message}`)
    }
  })

  it('finds nothing wrong in UTF-8', () => {
    expect(utf8Error(new TextEncoder().encode('{"name": "€ 😀 é"}'))).toBeNull()
  })
})
