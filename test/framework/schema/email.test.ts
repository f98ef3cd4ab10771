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
