import { describe, expect, it } from 'vitest'
import { f, resourceSchema, ValidationError } from '../../../src/framework/index.ts'

// A form sends every input, blank or not: validation reads it as DRF's Field.get_value reads
// HTML input. A JSON body is taken as it is.
const Note = resourceSchema('note', {
  title: f.string({ maxLength: 20 }),
  body: f.string({ allowBlank: true, required: false }),
  kind: f.choice(['memo', 'todo'], { default: 'memo' }),
  due: f.date({ required: false, nullable: true }),
  at: f.datetime({ required: false }),
  pinned: f.boolean({ default: true }),
})

const asForm = (data: Record<string, unknown>, partial = false) =>
  Note.validate(data, { form: true, partial })

async function errorsOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ValidationError)
  return (err as ValidationError).errors
}

describe('a form body', () => {
  it('reads a blank optional field as absent, null where null is allowed, blank where blanks are', async () => {
    expect(await asForm({ title: 'T', body: '', kind: '', due: '', at: '' })).toEqual({
      title: 'T',
      body: '',
      kind: 'memo',
      due: null,
      // An unchecked box is not sent: false, whatever the default (DRF's default_empty_html).
      pinned: false,
    })
  })

  it('leaves absent fields out of a partial update, the box too', async () => {
    expect(await asForm({ kind: '' }, true)).toEqual({})
  })

  it('keeps a blank required field, for its own message', async () => {
    expect(await errorsOf(asForm({ title: '' }))).toEqual({
      title: ['This field may not be blank.'],
    })
  })

  it('takes a JSON body as it is: a blank choice is refused, an absent box defaults', async () => {
    expect(await errorsOf(Note.validate({ title: 'T', kind: '' }))).toEqual({
      kind: ['"" is not a valid choice.'],
    })
    expect(await Note.validate({ title: 'T' })).toMatchObject({ kind: 'memo', pinned: true })
  })
})
