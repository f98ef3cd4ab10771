import Fastify, { type FastifyInstance } from 'fastify'
import { installPipeline, type Router } from '../../src/framework/index.ts'
import type { TestApp } from './test-app.ts'

/** A server of the test's own viewsets, through the pipeline, on the harness's database and users. */
export async function routerApp(t: TestApp, router: Router): Promise<FastifyInstance> {
  const app = Fastify()
  app.decorate('db', t.db)
  app.decorate('users', t.app.users)
  await installPipeline(app)
  router.mount(app)
  await app.ready()
  return app
}
