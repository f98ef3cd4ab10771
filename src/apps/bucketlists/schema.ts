import { f, resourceSchema } from 'portcullis'

/** A bucketlist as seed 000 shows it; the owner is read-only, set from the request. */
export const BucketlistSchema = resourceSchema('bucketlist', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 255, unique: true }),
  owner: f.string({ readOnly: true, description: "The owner's username." }),
  date_created: f.datetime({ readOnly: true, autoNowAdd: true }),
  date_modified: f.datetime({ readOnly: true, autoNow: true }),
})

/** A user with the ids of their bucketlists. */
export const UserSchema = resourceSchema('user', {
  id: f.uuid({ readOnly: true }),
  username: f.string({ readOnly: true }),
  bucketlists: f.pkList(),
})
