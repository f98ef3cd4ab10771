import { MEDIA_URL } from '../../framework/files/media-storage.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'

/** A profile as seed 004 shows it, in the DRF anchor's key order. */
export const ProfileSchema = resourceSchema('profile', {
  id: f.integer({ readOnly: true }),
  user: f.string({ readOnly: true, description: "The user's username." }),
  avatar: f.fileUrl({ baseUrl: MEDIA_URL, description: "The avatar's absolute URL, or null." }),
  bio: f.string({ maxLength: 240, allowBlank: true, default: '' }),
  city: f.string({ maxLength: 30, allowBlank: true, default: '' }),
})
