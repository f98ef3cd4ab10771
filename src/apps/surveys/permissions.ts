import { isOwnerOrReadOnly } from 'portcullis'

/** Seed 003's IsCreatorOrReadOnly: anyone may read a survey; only its creator changes it. */
export const IsCreatorOrReadOnly = isOwnerOrReadOnly({ field: 'creator_id' })
