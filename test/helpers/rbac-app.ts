import { randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { createUser, mintToken } from '../../src/accounts/index.ts'
import { rbacMigrations, rbacRoutes } from '../../src/apps/rbac/index.ts'
import { type Database, migrate } from '../../src/framework/index.ts'
import { allMigrations, createServer } from '../../src/server.ts'
import { PASSWORD, type TestUser, testDatabase } from './test-app.ts'

/** A server with the RBAC app over a fresh database, and the helpers its tests share. */
export interface RbacTestApp {
  app: FastifyInstance
  db: Database
  close(): Promise<void>
  /** Create an active user with a fresh token key. */
  user(username: string): Promise<TestUser>
  /** `method url` with a Token header for `user` (none for null) and a JSON body. */
  call(
    user: TestUser | null,
    method: string,
    url: string,
    json?: unknown,
  ): Promise<LightMyRequestResponse>
}

/**
 * Start a server that serves `/rbac/`. `wrap` lets a test watch the database the server uses
 * (count its statements). Until src/server.ts mounts the app, it is mounted here.
 */
export async function createRbacTestApp(wrap: (db: Database) => Database = (db) => db) {
  const { db, drop } = await testDatabase()
  const mounted = allMigrations.includes(rbacMigrations)
  await migrate(db, mounted ? allMigrations : [...allMigrations, rbacMigrations])
  const served = wrap(db)
  const app = await createServer({ db: served, secretKey: randomBytes(48).toString('base64url') })
  if (!mounted) rbacRoutes(app)
  await app.ready()
  const t: RbacTestApp = {
    app,
    db,
    async close() {
      await app.close()
      await drop()
    },
    async user(username) {
      const email = `${username}@example.com`
      const user = await createUser(db, { username, email, password: PASSWORD })
      return {
        id: user.id,
        username,
        email,
        password: PASSWORD,
        token: await mintToken(db, user.id),
      }
    },
    call(user, method, url, json) {
      const headers: Record<string, string> = {}
      if (user) headers.authorization = `Token ${user.token}`
      if (json !== undefined) headers['content-type'] = 'application/json'
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        payload: json === undefined ? undefined : JSON.stringify(json),
      })
    },
  }
  return t
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
