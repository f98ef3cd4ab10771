import type { Generated } from 'kysely'

/** `profiles`: one per user, made with the user (djoser's user + a profile model). */
export interface ProfilesTable {
  id: Generated<number>
  user_id: string
  bio: Generated<string>
  city: Generated<string>
  /** The avatar's name in the media storage (`avatars/<random>.png`), or null. */
  avatar: Generated<string | null>
}

declare module '../../framework/db/tables.ts' {
  interface Tables {
    profiles: ProfilesTable
  }
}
