import type { Migrations } from '../../framework/db/migrate.ts'
import * as users from './20261122_0001_users.ts'
import * as jwt from './20261122_0002_jwt.ts'
import * as sessions from './20261122_0004_sessions.ts'
import * as credentialRevocations from './20261122_0005_credential_revocations.ts'
import * as profiles from './20261122_0006_profiles.ts'
import * as permissions from './20261122_0007_permissions.ts'

/** The accounts app's migrations. */
export const accountsMigrations: Migrations = {
  '20261122_0001_accounts_users': users,
  '20261122_0002_accounts_jwt': jwt,
  '20261122_0004_accounts_sessions': sessions,
  '20261122_0005_accounts_credential_revocations': credentialRevocations,
  '20261122_0006_accounts_profiles': profiles,
  '20261122_0007_accounts_permissions': permissions,
}
