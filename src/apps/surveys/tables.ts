import type { ColumnType, Generated } from 'kysely'

/** `surveys`: a title and description a user drafts, then publishes for everyone to read. */
export interface SurveysTable {
  id: Generated<number>
  title: string
  description: string
  status: 'draft' | 'published'
  creator_id: string
  created_at: ColumnType<string | Date, string, string>
}

declare module 'portcullis' {
  interface Tables {
    surveys: SurveysTable
  }
}
