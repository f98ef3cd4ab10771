import fc from 'fast-check'
import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authorizationParts } from '../../../src/framework/auth/authorization-header.ts'

const asked = (authorization: string | undefined) =>
  ({ headers: { authorization } }) as unknown as FastifyRequest

// DRF's rule, written the plain way: split on whitespace; the first word names the scheme.
function reference(header: string | undefined, keyword: string): string[] | null {
  if (!header) return null
  const parts = header.split(/\s+/).filter(Boolean)
  if (parts.length === 0 || parts[0].toLowerCase() !== keyword) return null
  return parts
}

describe('authorizationParts', () => {
  it('splits the usual header into the keyword and the credentials', () => {
    expect(authorizationParts(asked('Token abc'), 'token')).toEqual(['Token', 'abc'])
    expect(authorizationParts(asked('TOKEN abc'), 'token')).toEqual(['TOKEN', 'abc'])
    expect(authorizationParts(asked('Basic abc'), 'token')).toBeNull()
    expect(authorizationParts(asked('Tokenabc def'), 'token')).toBeNull()
  })

  it('keeps what DRF sees in odd spacing: extra words, tabs, leading and trailing spaces', () => {
    expect(authorizationParts(asked('Token a b'), 'token')).toEqual(['Token', 'a', 'b'])
    expect(authorizationParts(asked('Token  abc'), 'token')).toEqual(['Token', 'abc'])
    expect(authorizationParts(asked('Token\tabc'), 'token')).toEqual(['Token', 'abc'])
    expect(authorizationParts(asked(' Token abc'), 'token')).toEqual(['Token', 'abc'])
    expect(authorizationParts(asked('Token '), 'token')).toEqual(['Token'])
    expect(authorizationParts(asked('Token'), 'token')).toEqual(['Token'])
    expect(authorizationParts(asked('   '), 'token')).toBeNull()
    expect(authorizationParts(asked(undefined), 'token')).toBeNull()
  })

  it('answers as the plain split does, for any header', () => {
    const pieces = fc.constantFrom('Token', 'token', 'Bearer', 'basic', 'x', 'ab:c', '=', ' ', '  ')
    const spaces = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '')
    const header = fc
      .array(fc.oneof(pieces, spaces, fc.string({ maxLength: 4 })), { maxLength: 6 })
      .map((xs) => xs.join(''))
    fc.assert(
      fc.property(header, fc.constantFrom('token', 'bearer', 'basic'), (h, keyword) => {
        expect(authorizationParts(asked(h), keyword)).toEqual(reference(h, keyword))
      }),
      { numRuns: 5000 },
    )
  })
})
