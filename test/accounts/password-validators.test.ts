import { describe, expect, it } from 'vitest'
import {
  commonPasswordCount,
  quickRatio,
  validatePassword,
} from '../../src/accounts/passwords/validators.ts'

const TOO_SHORT = 'This password is too short. It must contain at least 8 characters.'
const TOO_COMMON = 'This password is too common.'
const NUMERIC = 'This password is entirely numeric.'
const similarTo = (verboseName: string) => `The password is too similar to the ${verboseName}.`

// Expected values below were produced by Django 3.2's own validators (same code as 4.2 here),
// configured with user_attributes=('username', 'email', 'name') and the zxcvbn list.
describe('validatePassword', () => {
  it('accepts a strong password', () => {
    const user = { username: 'bob', email: 'bob@example.com', name: 'Bob Smith' }
    expect(validatePassword('Tr0ub4dor&3-horse-staple', user)).toEqual([])
  })

  it('reports short, common and numeric in Django order', () => {
    expect(validatePassword('1234', { username: 'weak' })).toEqual([TOO_SHORT, TOO_COMMON, NUMERIC])
  })

  it('MinimumLengthValidator counts code points, like Python len()', () => {
    expect(validatePassword('x9!kQz#', {})).toEqual([TOO_SHORT])
    expect(validatePassword('😀😀😀😀😀😀😀😀', {})).toEqual([])
  })

  it('CommonPasswordValidator lowercases and trims', () => {
    expect(validatePassword('PASSWORD', {})).toEqual([TOO_COMMON])
    expect(validatePassword('  Password ', {})).toEqual([TOO_COMMON])
    expect(validatePassword('iloveyou', {})).toEqual([TOO_COMMON])
  })

  it('NumericPasswordValidator follows str.isdigit()', () => {
    expect(validatePassword('48291736504', {})).toEqual([NUMERIC])
    expect(validatePassword('١٢٣٤٥٦٧٨٩', {})).toEqual([NUMERIC])
    expect(validatePassword('4829173650a', {})).toEqual([])
  })

  it('UserAttributeSimilarityValidator names the attribute', () => {
    expect(validatePassword('charlie_brown1', { username: 'charlie_brown' })).toEqual([
      similarTo('username'),
    ])
    expect(validatePassword('bobexample', { email: 'bob@example.com' })).toEqual([
      similarTo('email address'),
    ])
    expect(validatePassword('smithbob99', { name: 'Bob Smith' })).toEqual([similarTo('name')])
    expect(validatePassword('Ünïcödé-Straße', { name: 'Ünïcödé Straße' })).toEqual([
      similarTo('name'),
    ])
  })

  it('reports only the first similar attribute', () => {
    const user = { username: 'charlie_brown', email: 'charlie_brown@example.com' }
    expect(validatePassword('charlie_brown1', user)).toEqual([similarTo('username')])
  })

  it('ignores empty and missing attributes', () => {
    expect(validatePassword('charlie_brown1', { username: '', email: null })).toEqual([])
  })

  it('skips values far shorter than the password, as Django does', () => {
    expect(validatePassword('a'.repeat(20), { username: 'aa' })).toEqual([])
    expect(validatePassword('a'.repeat(45), { username: 'a' })).toEqual([])
  })

  it('matches Django on an empty password against an email with empty parts', () => {
    expect(validatePassword('', { email: '@x.io' })).toEqual([
      similarTo('email address'),
      TOO_SHORT,
    ])
    expect(validatePassword('', {})).toEqual([TOO_SHORT])
  })

  it('handles very long passwords', () => {
    const long = `${'Zq7!'.repeat(2500)}x`
    expect(validatePassword(long, { username: 'bob', email: 'bob@example.com' })).toEqual([])
  })
})

describe('quickRatio', () => {
  it('matches difflib.SequenceMatcher.quick_ratio()', () => {
    expect(quickRatio([...'abcd'], [...'bcde'])).toBeCloseTo(0.75)
    expect(quickRatio([...'A'], [...'A'.repeat(10)])).toBeCloseTo(0.18181818181818182)
    expect(quickRatio([], [])).toBe(1)
    expect(quickRatio([...'abc'], [])).toBe(0)
  })
})

describe('common password list', () => {
  it('loads the zxcvbn list', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(20000)
  })
})
