import { Router } from 'portcullis'
import { notes } from './views.js'

export { noteMigrations } from './migrations/index.js'

/** The notes API, to register with a prefix: its root lists its viewsets. */
export const notesApi = new Router().register('notes', notes).plugin({ root: true })
