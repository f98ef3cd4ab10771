import { f, resourceSchema } from 'portcullis'

/** A note as clients see it; the owner is never shown or accepted. */
export const NoteSchema = resourceSchema('note', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 200 }),
  body: f.string({ default: '' }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})
