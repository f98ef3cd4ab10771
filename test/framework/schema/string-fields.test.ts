import { describe, expect, it } from 'vitest'
import { f } from '../../../src/framework/index.ts'

const email = f.email()

describe('f.email', () => {
  it.each([['ann@example.com'], ['a.b+c@mail.example.org'], ['root@localhost']])(
    'takes %s',
    (input) => {
      expect(email.parse(input)).toEqual({ ok: true, value: input })
    },
  )

  it.each([['ann'], ['ann@'], ['@example.com'], ['ann@example'], ['a b@example.com']])(
    'refuses %s',
    (input) => {
      expect(email.parse(input)).toMatchObject({ ok: false })
    },
  )

  it('refuses an address past 320 characters at once, as Django does (no ReDoS)', () => {
    // Without the cap this one input held the event loop for minutes.
    for (const input of [`a@${'.'.repeat(200_000)} `, `${'a'.repeat(64)}@${'b'.repeat(300)}.com`]) {
      expect(email.parse(input)).toMatchObject({ ok: false })
    }
  })
})

describe('string fields run every check, in DRF order', () => {
  it('gives an email with a null character both messages', () => {
    expect(email.parse('n\u0000@example.com')).toEqual({
      ok: false,
      errors: ['Null characters are not allowed.', 'Enter a valid email address.'],
    })
  })

  it('puts a field validator first, then length, null and surrogate checks', () => {
    const field = f.string({
      maxLength: 3,
      validators: [(s) => (s.startsWith('x') ? 'No x.' : null)],
    })
    expect(field.parse('xxxx\u0000\ud800')).toEqual({
      ok: false,
      errors: [
        'No x.',
        'Ensure this field has no more than 3 characters.',
        'Null characters are not allowed.',
        'Surrogate characters are not allowed: U+D800.',
      ],
    })
  })

  it('counts characters as Python does: an emoji is one (two UTF-16 units)', () => {
    const field = f.string({ maxLength: 3, minLength: 2 })
    expect(field.parse('\u{1F600}\u{1F600}\u{1F600}')).toMatchObject({ ok: true })
    expect(field.parse('\u{1F600}\u{1F600}\u{1F600}\u{1F600}')).toEqual({
      ok: false,
      errors: ['Ensure this field has no more than 3 characters.'],
    })
    expect(field.parse('\u{1F600}')).toEqual({
      ok: false,
      errors: ['Ensure this field has at least 2 characters.'],
    })
  })

  it('returns an allowed blank unchecked', () => {
    const field = f.email({ allowBlank: true })
    expect(field.parse('  ')).toEqual({ ok: true, value: '' })
  })
})
