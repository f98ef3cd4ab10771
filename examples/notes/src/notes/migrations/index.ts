import type { Migrations } from 'portcullis'
import * as notes from './20270101_0001_notes.js'
import * as sharing from './20270102_0002_sharing.js'

/** The notes app's migrations. */
export const noteMigrations: Migrations = {
  '20270101_0001_notes': notes,
  '20270102_0002_sharing': sharing,
}
