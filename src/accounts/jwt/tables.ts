import type { ColumnType } from 'kysely'
import type { Timestamp } from '../tables.ts'

/** `jwt_blacklist`: refresh tokens that no longer work, kept until they would have expired. */
export interface JwtBlacklistTable {
  jti: string
  expires: Timestamp
}

/** `jwt_refresh_families`: refresh tokens in a rotation chain (see refresh-families.ts). */
export interface JwtRefreshFamiliesTable {
  jti: string
  /** The jti of the chain's first token (the one `/token/` issued). */
  family: string
  /** The token's `iat`, so that a grace-window answer can re-issue it exactly. */
  issued_at: Timestamp
  /** The token's `exp`: the row is useless, and pruned, after it. */
  expires: Timestamp
  rotated_at: ColumnType<string | Date | null, string | null, string | null>
  successor: string | null
}

declare module '../../framework/db/tables.ts' {
  interface Tables {
    jwt_blacklist: JwtBlacklistTable
    jwt_refresh_families: JwtRefreshFamiliesTable
  }
}
