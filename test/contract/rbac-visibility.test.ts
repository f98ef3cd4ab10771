import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRbacTestApp, type RbacTestApp } from '../helpers/rbac-app.ts'
import type { TestUser } from '../helpers/test-app.ts'

// fast-check builds random organizations, memberships and project grants, and for every user
// checks that every list holds exactly what the rules of API.md §8 let them see, and every detail
// URL answers 200 or 404 accordingly. A failure is shrunk to a smallest world and replayable.

const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const
const USERS = 5

/** One organization as generated: its project count, each user's role and project grants. */
const orgSpec = fc.record({
  projects: fc.integer({ min: 1, max: 3 }),
  roles: fc.array(fc.option(fc.constantFrom(...ROLES), { freq: 2 }), {
    minLength: USERS,
    maxLength: USERS,
  }),
  grants: fc.array(
    fc.array(fc.option(fc.constantFrom(...ROLES), { freq: 3 }), { minLength: 3, maxLength: 3 }),
    {
      minLength: USERS,
      maxLength: USERS,
    },
  ),
})
const worldSpec = fc.array(orgSpec, { minLength: 1, maxLength: 4 })
type WorldSpec = typeof worldSpec extends fc.Arbitrary<infer T> ? T : never

/** The world the rules are checked against: who holds which role where. */
interface World {
  orgs: {
    id: string
    projects: string[]
    roles: Map<string, string>
    grants: Map<string, Set<string>>
  }[]
}

let t: RbacTestApp
let users: TestUser[]

beforeAll(async () => {
  t = await createRbacTestApp()
  users = await Promise.all(Array.from({ length: USERS }, (_, i) => t.user(`u${i}`)))
})
afterAll(() => t?.close())

async function makeWorld(spec: WorldSpec): Promise<World> {
  // Each run starts from nothing: organizations take their projects and grants with them.
  await t.db.deleteFrom('rbac_organizations').execute()
  const world: World = { orgs: [] }
  const now = new Date().toISOString()
  for (const [o, orgShape] of spec.entries()) {
    const org = {
      id: randomUUID(),
      projects: [] as string[],
      roles: new Map<string, string>(),
      grants: new Map<string, Set<string>>(),
    }
    await t.db
      .insertInto('rbac_organizations')
      .values({ id: org.id, name: `o${o}`, created_at: now })
      .execute()
    for (let p = 0; p < orgShape.projects; p++) {
      const id = randomUUID()
      org.projects.push(id)
      await t.db
        .insertInto('rbac_projects')
        .values({ id, organization_id: org.id, name: `p${p}`, created_at: now })
        .execute()
    }
    for (const [u, user] of users.entries()) {
      const role = orgShape.roles[u]
      if (role) {
        org.roles.set(user.id, role)
        await t.db
          .insertInto('rbac_org_members')
          .values({ organization_id: org.id, user_id: user.id, role, created_at: now })
          .execute()
      }
      for (const [p, project] of org.projects.entries()) {
        const grant = orgShape.grants[u][p]
        if (!grant) continue
        org.grants.set(user.id, (org.grants.get(user.id) ?? new Set()).add(project))
        await t.db
          .insertInto('rbac_project_members')
          .values({ project_id: project, user_id: user.id, role: grant, created_at: now })
          .execute()
      }
    }
    world.orgs.push(org)
  }
  return world
}

const ids = (body: { results: { id: string }[] }) => body.results.map((r) => r.id).sort()

describe('every list holds exactly what the rules let a user see', () => {
  it('for random worlds', async () => {
    await fc.assert(fc.asyncProperty(worldSpec, check), { numRuns: 12 })
  })
})

async function check(spec: WorldSpec) {
  const world = await makeWorld(spec)
  for (const user of users) {
    const seesOrg = (o: World['orgs'][number]) => o.roles.has(user.id) || o.grants.has(user.id)
    const listed = await t.call(user, 'GET', '/rbac/organizations/?page_size=100')
    expect(ids(listed.json())).toEqual(
      world.orgs
        .filter(seesOrg)
        .map((o) => o.id)
        .sort(),
    )
    for (const o of world.orgs) {
      const base = `/rbac/organizations/${o.id}/`
      const projects = await t.call(user, 'GET', `${base}projects/?page_size=100`)
      if (!seesOrg(o)) {
        expect(projects.statusCode).toBe(404)
        continue
      }
      const visible = o.roles.has(user.id) ? o.projects : [...(o.grants.get(user.id) ?? [])]
      expect(ids(projects.json())).toEqual([...visible].sort())
      for (const project of o.projects) {
        const res = await t.call(user, 'GET', `${base}projects/${project}/`)
        expect(res.statusCode).toBe(visible.includes(project) ? 200 : 404)
      }
      const members = await t.call(user, 'GET', `${base}members/`)
      expect(members.statusCode).toBe(o.roles.has(user.id) ? 200 : 404)
    }
  }
}
