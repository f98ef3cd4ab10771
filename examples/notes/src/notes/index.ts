import { Router } from 'portcullis'
import { comments, notes } from './views.js'

export { noteMigrations } from './migrations/index.js'

/** The notes API, to register with a prefix: its root lists its viewsets. */
export const notesApi = new Router()
  .register('notes', notes)
  .nest('notes', 'comments', comments, { parentLookup: 'note', parentField: 'note_id' })
  .plugin({ root: true })
