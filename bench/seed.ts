import { randomUUID } from 'node:crypto'
import { createUser, mintToken } from '../src/accounts/index.ts'
import { type Database, migrate, openDatabase } from '../src/framework/index.ts'
import { allMigrations } from '../src/server.ts'

/** Who and what exists in a seeded database: everything the scenarios need to know. */
export interface Seeded {
  /** The bench user: a token, 50 bucketlists, 30 statuses, a password for JWT login. */
  username: string
  password: string
  token: string
  detailId: number
  ownCount: number
  totalCount: number
  statusCount: number
  publishedSurveys: number
  /** A user with viewer grants on 50 of one organization's 100 projects, none on it. */
  rbac: { token: string; orgId: string; visibleProjects: number }
  /** Logs in for a session, then writes (session POST). */
  writer: { email: string; password: string }
  /** Logs in by password, again and again (the login scenario). */
  login: { username: string; password: string }
  /** Hammered on the server whose `user` rate is exhausted at once. */
  throttledToken: string
}

const OWN_BUCKETLISTS = 50
const OTHER_USERS = 100
const PER_OTHER_USER = 100
const OWN_STATUSES = 30
const STATUSES_PER_OTHER = 10
const SURVEYS = 200
const RBAC_PROJECTS = 100
const RBAC_GRANTS = 50
const OTHER_ORGS = 20
const PROJECTS_PER_OTHER_ORG = 20
// Few enough bound parameters a statement for SQLite and PostgreSQL, few enough round trips.
const CHUNK = 200

async function insertChunked<T extends Record<string, unknown>>(
  db: Database,
  table: string,
  rows: T[],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table as 'users')
      .values(rows.slice(i, i + CHUNK) as never)
      .execute()
  }
}

/** `n` distinct moments a second apart, oldest first, ending an hour ago. */
function moments(n: number): string[] {
  const end = Date.now() - 3_600_000
  return Array.from({ length: n }, (_, i) => new Date(end - (n - i) * 1000).toISOString())
}

async function person(db: Database, username: string) {
  const password = `correct horse battery staple ${username}`
  const user = await createUser(db, { username, email: `${username}@example.com`, password })
  return { user, password }
}

/**
 * Fill a freshly migrated database (a SQLite file, or a PostgreSQL database made for the run):
 * the users every scenario acts as, among 100 other users whose rows (10k bucketlists, 1k
 * statuses, surveys, organizations and grants) the scoped queries must skip by their indexes.
 * Every user is made the real way (argon2 hash, profile) except the others, who never log in.
 */
export async function seed(url: string): Promise<Seeded> {
  const db = openDatabase(url)
  try {
    await migrate(db, allMigrations)
    const bench = await person(db, 'bench')
    const token = await mintToken(db, bench.user.id, { name: 'bench' })
    const rbacUser = await person(db, 'rbac')
    const writer = await person(db, 'writer')
    const login = await person(db, 'login')
    const throttled = await person(db, 'throttled')

    const now = new Date().toISOString()
    const others = Array.from({ length: OTHER_USERS }, (_, i) => ({
      id: randomUUID(),
      username: `other${i}`,
      email: `other${i}@example.com`,
      name: '',
      // Never logged in with: hashing 100 passwords would only slow the seed down.
      password: '!unusable',
      is_active: true,
      is_staff: false,
      is_superuser: false,
      date_joined: now,
    }))

    // Owners interleaved, so the bench user's rows are spread across the table like real data.
    const bucketlists: Record<string, unknown>[] = []
    const every = Math.floor((OTHER_USERS * PER_OTHER_USER) / OWN_BUCKETLISTS)
    for (let i = 0; i < OTHER_USERS * PER_OTHER_USER; i++) {
      const owner_id = others[i % OTHER_USERS].id
      bucketlists.push({ name: `other list ${i}`, owner_id, date_created: now, date_modified: now })
      if (i % every === 0) {
        const name = `bench list ${bucketlists.length}`
        bucketlists.push({ name, owner_id: bench.user.id, date_created: now, date_modified: now })
      }
    }

    await db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'users', others)
      await insertChunked(trx, 'bucketlists', bucketlists)
      await insertChunked(
        trx,
        'profiles',
        others.map((o) => ({ user_id: o.id })),
      )
      const profiles = await trx.selectFrom('profiles').select(['id', 'user_id']).execute()
      const profileOf = new Map(profiles.map((p) => [p.user_id, p.id]))
      // The bench user's statuses among everyone's, in one timeline.
      const authors = [
        ...others.flatMap((o) => Array(STATUSES_PER_OTHER).fill(o.id) as string[]),
        ...Array(OWN_STATUSES).fill(bench.user.id),
      ].sort(() => Math.random() - 0.5)
      const at = moments(authors.length)
      await insertChunked(
        trx,
        'statuses',
        authors.map((userId, i) => ({
          profile_id: profileOf.get(userId)!,
          status_content: `status ${i} of ${userId.slice(0, 8)}`,
          created_at: at[i],
          updated_at: at[i],
        })),
      )
      const surveyAt = moments(SURVEYS)
      await insertChunked(
        trx,
        'surveys',
        surveyAt.map((created_at, i) => ({
          title: `survey ${i}`,
          description: `What do you think of ${i}?`,
          status: i % 2 === 0 ? 'published' : 'draft',
          creator_id: others[i % OTHER_USERS].id,
          created_at,
        })),
      )
      await seedRbac(trx, rbacUser.user.id, others)
    })

    const own = await db
      .selectFrom('bucketlists')
      .select(['id'])
      .where('owner_id', '=', bench.user.id)
      .orderBy('id')
      .execute()
    const orgId = (
      await db
        .selectFrom('rbac_organizations')
        .select('id')
        .where('name', '=', 'bench org')
        .executeTakeFirstOrThrow()
    ).id
    return {
      username: bench.user.username,
      password: bench.password,
      token,
      // A row from the middle of the table, not the first one a cold cache would favour.
      detailId: own[Math.floor(own.length / 2)].id,
      ownCount: own.length,
      totalCount: bucketlists.length,
      statusCount: OWN_STATUSES,
      publishedSurveys: SURVEYS / 2,
      rbac: {
        token: await mintToken(db, rbacUser.user.id, { name: 'bench' }),
        orgId,
        visibleProjects: RBAC_GRANTS,
      },
      writer: { email: writer.user.email, password: writer.password },
      login: { username: login.user.username, password: login.password },
      throttledToken: await mintToken(db, throttled.user.id, { name: 'bench' }),
    }
  } finally {
    await db.destroy()
  }
}

/**
 * The RBAC world: "bench org" with 100 projects, owned by another user, where the rbac user holds
 * viewer grants on every other project (50) and none on the organization; 20 more organizations
 * of other users with their own projects and grants.
 */
async function seedRbac(db: Database, rbacUserId: string, others: { id: string }[]) {
  const orgs = [{ name: 'bench org', projects: RBAC_PROJECTS }]
  for (let i = 0; i < OTHER_ORGS; i++) {
    orgs.push({ name: `other org ${i}`, projects: PROJECTS_PER_OTHER_ORG })
  }
  const orgAt = moments(orgs.length)
  const orgRows = orgs.map((o, i) => ({ id: randomUUID(), name: o.name, created_at: orgAt[i] }))
  await insertChunked(db, 'rbac_organizations', orgRows)
  const orgMembers: Record<string, unknown>[] = []
  const projects: { id: string; organization_id: string; name: string; created_at: string }[] = []
  const projectMembers: Record<string, unknown>[] = []
  orgRows.forEach((org, i) => {
    const at = moments(orgs[i].projects)
    const role = (n: number) => (n === 0 ? 'owner' : n < 3 ? 'admin' : 'viewer')
    for (let n = 0; n < 10; n++) {
      const user_id = others[(i * 10 + n) % others.length].id
      orgMembers.push({
        organization_id: org.id,
        user_id,
        role: role(n),
        created_at: org.created_at,
      })
    }
    at.forEach((created_at, p) => {
      const project = {
        id: randomUUID(),
        organization_id: org.id,
        name: `project ${p}`,
        created_at,
      }
      projects.push(project)
      const grantee =
        i === 0 ? (p % 2 === 0 ? rbacUserId : null) : others[(i + p) % others.length].id
      if (grantee)
        projectMembers.push({
          project_id: project.id,
          user_id: grantee,
          role: 'viewer',
          created_at,
        })
    })
  })
  await insertChunked(db, 'rbac_org_members', orgMembers)
  await insertChunked(db, 'rbac_projects', projects)
  await insertChunked(db, 'rbac_project_members', projectMembers)
}
