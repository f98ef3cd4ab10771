import type { Migrations } from 'portcullis'
import * as notes from './20270101_0001_notes.js'

/** The notes app's migrations. */
export const noteMigrations: Migrations = { '20270101_0001_notes': notes }
