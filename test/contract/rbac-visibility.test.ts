import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRbacTestApp, type RbacTestApp } from '../helpers/rbac-app.ts'
import type { TestUser } from '../helpers/test-app.ts'

// Random organizations, memberships and project grants (seeded, so a failure replays), and for
// every user: every list holds exactly what the rules of API.md §8 let them see, and every
// detail URL answers 200 or 404 accordingly. fast-check would shrink failures; this needs no
// dependency and checks the same property.

const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const

/** A small seeded PRNG (mulberry32): the same seed, the same world. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

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
  users = await Promise.all(['u0', 'u1', 'u2', 'u3', 'u4'].map((n) => t.user(n)))
})
afterAll(() => t?.close())

async function makeWorld(seed: number): Promise<World> {
  const next = random(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
  // Each run starts from nothing: organizations take their projects and grants with them.
  await t.db.deleteFrom('rbac_organizations').execute()
  const world: World = { orgs: [] }
  const now = new Date().toISOString()
  for (let o = 0; o < 4; o++) {
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
    for (let p = 0; p < 1 + Math.floor(next() * 3); p++) {
      const id = randomUUID()
      org.projects.push(id)
      await t.db
        .insertInto('rbac_projects')
        .values({ id, organization_id: org.id, name: `p${p}`, created_at: now })
        .execute()
    }
    for (const user of users) {
      if (next() < 0.35) {
        const role = pick(ROLES)
        org.roles.set(user.id, role)
        await t.db
          .insertInto('rbac_org_members')
          .values({
            organization_id: org.id,
            user_id: user.id,
            role,
            created_at: now,
          })
          .execute()
      }
      for (const project of org.projects) {
        if (next() >= 0.25) continue
        org.grants.set(user.id, (org.grants.get(user.id) ?? new Set()).add(project))
        await t.db
          .insertInto('rbac_project_members')
          .values({ project_id: project, user_id: user.id, role: pick(ROLES), created_at: now })
          .execute()
      }
    }
    world.orgs.push(org)
  }
  return world
}

const ids = (body: { results: { id: string }[] }) => body.results.map((r) => r.id).sort()

describe('every list holds exactly what the rules let a user see', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('world #%i', async (seed) => {
    const world = await makeWorld(seed)
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
  })
})
