import type { ColumnType, Generated } from 'kysely'

/** A moment: ISO 8601 text read back, written as ISO text. */
type Timestamp = ColumnType<string, string, string>

/** `friends`: the people a user lends things to. */
export interface FriendsTable {
  id: Generated<number>
  owner_id: string
  name: string
}

/** `belongings`: the things a user owns and may lend. */
export interface BelongingsTable {
  id: Generated<number>
  owner_id: string
  name: string
}

/** `borrowings`: one of the owner's belongings lent to one of their friends, until returned. */
export interface BorrowingsTable {
  id: Generated<number>
  owner_id: string
  what: number
  to_who: number
  when: Timestamp
  returned: ColumnType<string | null, string | null | undefined, string | null>
}

declare module 'portcullis' {
  interface Tables {
    friends: FriendsTable
    belongings: BelongingsTable
    borrowings: BorrowingsTable
  }
}
