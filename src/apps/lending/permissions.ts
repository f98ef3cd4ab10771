import { isOwner } from 'portcullis'

/** Seed 001's IsOwner: only the object's owner, denied with the seed's own message. */
export const IsOwner = isOwner({ message: 'Not an owner.' })
