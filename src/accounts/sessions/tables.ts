import type { Timestamp } from '../tables.ts'

/** `sessions`: server-side sessions; the cookie value is stored only as its SHA-256. */
export interface SessionsTable {
  id: string
  key_hash: string
  user_id: string
  created: Timestamp
  last_seen: Timestamp
  expires: Timestamp
  user_agent: string
  ip: string
}

declare module '../../framework/db/tables.ts' {
  interface Tables {
    sessions: SessionsTable
  }
}
