import Fastify, { type FastifyInstance } from 'fastify'
import type { KyselyPlugin } from 'kysely'
import { accountsPermissionBackend } from '../../src/accounts/index.ts'
import { installPipeline } from '../../src/framework/index.ts'
import type { TestApp } from './test-app.ts'

/** A server of the test's own routes over the harness's database, counting its SQL statements. */
export interface PermissionApp {
  app: FastifyInstance
  /** Statements run through `app.db` (routes and the permission backend) since the last reset. */
  queries(): number
  resetQueries(): void
}

/**
 * Build a server as an app author would: the pipeline, the accounts app's user and permission
 * backends, and `mount` adding the routes under test. Users authenticate through the harness's
 * backend (its own, uncounted, database handle), so the count is what the view itself costs.
 */
export async function permissionApp(
  t: TestApp,
  mount: (app: FastifyInstance) => void,
): Promise<PermissionApp> {
  let count = 0
  // Kysely hands every executed statement's result to its plugins once (trees of subqueries
  // go through transformQuery too, so that hook would count them as well).
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      count++
      return args.result
    },
  }
  const db = t.db.withPlugin(counter)
  const app = Fastify()
  app.decorate('db', db)
  app.decorate('users', t.app.users)
  app.decorate('permissionsBackend', accountsPermissionBackend(db))
  await installPipeline(app)
  mount(app)
  await app.ready()
  return {
    app,
    queries: () => count,
    resetQueries: () => {
      count = 0
    },
  }
}
