import type { Timestamp } from '../tables.ts'

/** `credential_revocations`: when a user's password last changed; older refresh tokens are void. */
export interface CredentialRevocationsTable {
  user_id: string
  revoked_at: Timestamp
}

declare module '../../framework/db/tables.ts' {
  interface Tables {
    credential_revocations: CredentialRevocationsTable
  }
}
