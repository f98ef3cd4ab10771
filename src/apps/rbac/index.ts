export { rbacMigrations } from './migrations/index.ts'

import type { FastifyPluginAsync } from 'fastify'
import { rbacRoutes } from './routes/index.ts'

/** The app's API, to register with a prefix (the reference server's `/rbac`). */
export const rbac: FastifyPluginAsync = async (app) => rbacRoutes(app)
