import { describe, expect, it } from 'vitest'
import { f } from '../../../src/framework/index.ts'

const DATE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'
const TIME = 'Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].'

describe('f.date', () => {
  const day = f.date()
  it.each([
    ['2026-11-01', '2026-11-01'],
    ['2024-2-29', '2024-02-29'],
    [' 2026-12-31 ', '2026-12-31'],
  ])('reads %s as %s', (input, output) => {
    expect(day.parse(input)).toEqual({ ok: true, value: output })
  })
  it.each([['2026-02-29'], ['2026-13-01'], ['2026-11-01T10:00'], ['01/11/2026'], [20261101]])(
    'refuses %s',
    (input) => {
      expect(day.parse(input)).toEqual({ ok: false, errors: [DATE] })
    },
  )
})

describe('f.time', () => {
  const at = f.time()
  it.each([
    ['10:30', '10:30:00'],
    ['9:05:07', '09:05:07'],
    ['23:59:59.5', '23:59:59.500000'],
    ['00:00:00.1234567', '00:00:00.123456'],
    ['12:00:00.000', '12:00:00'],
  ])('reads %s as %s', (input, output) => {
    expect(at.parse(input)).toEqual({ ok: true, value: output })
  })
  it.each([['24:00'], ['10:60'], ['noon'], ['10'], [1030]])('refuses %s', (input) => {
    expect(at.parse(input)).toEqual({ ok: false, errors: [TIME] })
  })
})

describe('f.url', () => {
  const link = f.url({ maxLength: 200 })
  it.each([
    ['https://example.com'],
    ['http://www.example.co.uk/path?q=1#top'],
    ['ftp://user:pass@files.example.org:21/a'],
    ['http://localhost:8000/'],
    ['http://127.0.0.1/'],
    ['http://[::1]:80/'],
    ['https://bücher.de/'],
  ])('takes %s', (input) => {
    expect(link.parse(input)).toEqual({ ok: true, value: input })
  })
  it.each([
    ['example.com'],
    ['mailto:a@example.com'],
    ['http://'],
    ['http://example'],
    ['http://exa mple.com'],
    ['javascript:alert(1)'],
    [42],
  ])('refuses %s', (input) => {
    expect(link.parse(input)).toEqual({ ok: false, errors: ['Enter a valid URL.'] })
  })
})

describe('f.json', () => {
  const anything = f.json()
  it('takes any JSON value as it is, and parses a form text', () => {
    expect(anything.parse({ a: [1, 'b'] })).toEqual({ ok: true, value: { a: [1, 'b'] } })
    expect(anything.parse('text')).toEqual({ ok: true, value: 'text' })
    expect(anything.parseForm!('[1, 2]')).toEqual({ ok: true, value: [1, 2] })
    expect(anything.parseForm!('{oops')).toEqual({
      ok: false,
      errors: ['Value must be valid JSON.'],
    })
  })
})
