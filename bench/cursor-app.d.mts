import type { FastifyInstance } from 'fastify'
import type { Database } from 'portcullis'

export function createCursorApp(
  database: string | Database,
  secretKey: string,
): Promise<FastifyInstance>
