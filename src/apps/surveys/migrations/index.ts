import type { Migrations } from 'portcullis'
import * as surveys from './20261122_0601_surveys.ts'

/** The survey app's migrations. */
export const surveyMigrations: Migrations = {
  '20261122_0601_surveys': surveys,
}
