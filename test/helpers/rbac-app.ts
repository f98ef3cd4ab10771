import { randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import type { Database } from '../../src/framework/index.ts'
import { createTestApp, type TestApp, type TestUser } from './test-app.ts'

/** A test server, and a call helper the RBAC tests share. */
export interface RbacTestApp extends TestApp {
  /** `method url` with a Token header for `user` (none for null) and a JSON body. */
  call(
    user: TestUser | null,
    method: string,
    url: string,
    json?: unknown,
  ): Promise<LightMyRequestResponse>
}

/** Start a test server; `wrap` lets a test watch the database the server uses (count statements). */
export async function createRbacTestApp(
  wrap: (db: Database, url: string) => Database = (db) => db,
): Promise<RbacTestApp> {
  const t = await createTestApp({}, { wrapDb: wrap })
  return {
    ...t,
    call(user, method, url, json) {
      const headers: Record<string, string> = {}
      if (user) headers.authorization = `Token ${user.token}`
      if (json !== undefined) headers['content-type'] = 'application/json'
      return t.app.inject({
        method: method as 'GET',
        url,
        headers,
        payload: json === undefined ? undefined : JSON.stringify(json),
      })
    },
  }
}

/** An organization with two projects, made straight in the database (no request). */
export interface OrgFixture {
  org: string
  /** The project some users hold a grant on alone. */
  granted: string
  /** A project nobody holds a grant on alone. */
  other: string
}

/** Make an organization, two projects, organization roles and project-only grants, by user id. */
export async function makeOrganization(
  db: Database,
  roles: Record<string, string>,
  projectGrants: Record<string, string> = {},
): Promise<OrgFixture> {
  const now = new Date().toISOString()
  const fixture = { org: randomUUID(), granted: randomUUID(), other: randomUUID() }
  await db
    .insertInto('rbac_organizations')
    .values({ id: fixture.org, name: 'Acme', created_at: now })
    .execute()
  for (const [id, name] of [
    [fixture.granted, 'Rocket'],
    [fixture.other, 'Anvil'],
  ]) {
    await db
      .insertInto('rbac_projects')
      .values({ id, organization_id: fixture.org, name, created_at: now })
      .execute()
  }
  for (const [user_id, role] of Object.entries(roles)) {
    await db
      .insertInto('rbac_org_members')
      .values({ organization_id: fixture.org, user_id, role, created_at: now })
      .execute()
  }
  for (const [user_id, role] of Object.entries(projectGrants)) {
    await db
      .insertInto('rbac_project_members')
      .values({ project_id: fixture.granted, user_id, role, created_at: now })
      .execute()
  }
  return fixture
}
