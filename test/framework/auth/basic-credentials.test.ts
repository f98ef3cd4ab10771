import { describe, expect, it } from 'vitest'
import {
  basicCredentials,
  decodeBase64Loosely,
} from '../../../src/framework/auth/basic-credentials.ts'

const text = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('latin1') : null)

// Python's base64.b64decode (DRF's BasicAuthentication decodes with it), as the anchor answers.
describe('decodeBase64Loosely', () => {
  it.each([
    ['YWxpY2U6eA==', 'alice:x'],
    ['YWxpY2U6eHl6', 'alice:xyz'],
    ['YWxp!Y2U6eA==', 'alice:x'],
    ['YWxpY2U6eA===', 'alice:x'],
    ['YWxpY2U6eA==!', 'alice:x'],
    ['YQ==YQ==', 'a'],
    ['YW=xp', 'ali'],
    ['!!!', ''],
    ['====', ''],
    ['-_-_', ''],
  ])('reads %j as %j', (encoded, decoded) => {
    expect(text(decodeBase64Loosely(encoded))).toBe(decoded)
  })

  it.each(['abc', 'Y', 'YWxpY2U6eA', 'YWxpY2U6eA=', 'YWxpY2U-eA__', '/0=C_-19 C=_'])(
    'refuses %j, whose last group is incomplete',
    (encoded) => {
      expect(decodeBase64Loosely(encoded)).toBeNull()
    },
  )
})

describe('basicCredentials', () => {
  it('splits at the first colon; without one, all is login', () => {
    expect(basicCredentials(Buffer.from('a:b:c').toString('base64'))).toEqual({
      login: 'a',
      password: 'b:c',
    })
    expect(basicCredentials(Buffer.from('alice').toString('base64'))).toEqual({
      login: 'alice',
      password: '',
    })
  })

  it('reads bytes that are not UTF-8 as Latin-1, as DRF does', () => {
    const encoded = Buffer.from('jos\u00e9:pw', 'latin1').toString('base64')
    expect(basicCredentials(encoded)).toEqual({ login: 'jos\u00e9', password: 'pw' })
    const utf8 = Buffer.from('jos\u00e9:pw', 'utf8').toString('base64')
    expect(basicCredentials(utf8)).toEqual({ login: 'jos\u00e9', password: 'pw' })
  })
})
