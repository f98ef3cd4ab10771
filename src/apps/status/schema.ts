import { f, resourceSchema } from 'portcullis'

/** A status as seed 004 shows it; the profile is the author's, named by username, read-only. */
export const StatusSchema = resourceSchema('status', {
  id: f.integer({ readOnly: true }),
  user_profile: f.string({ readOnly: true, description: "The author's username." }),
  status_content: f.string({ maxLength: 240 }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
  updated_at: f.datetime({ readOnly: true, autoNow: true }),
})
