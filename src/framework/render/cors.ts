import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'

/**
 * CORS for the listed origins only (none by default: same-origin clients need none). Credentials
 * are allowed for them, since sessions and JWT cookies are credentials; a wildcard is refused,
 * as a wildcard with credentials would let any site act as the user.
 */
export async function installCors(app: FastifyInstance, origins: string[]) {
  if (origins.length === 0) return
  if (origins.includes('*')) throw new Error('CORS_ORIGINS cannot be "*": name the origins')
  await app.register(cors, {
    origin: origins,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-CSRFToken'],
    maxAge: 600,
  })
}
