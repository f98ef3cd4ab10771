import type { FastifyInstance } from 'fastify'
import { type AppSettings, createApp } from 'portcullis'
import { accounts } from 'portcullis/accounts'
import { notesApi } from './notes/index.js'

/** The notes API: sign-up, token login and JWT under /api/, the notes under /api/. */
export async function buildApp(settings: AppSettings): Promise<FastifyInstance> {
  const app = await createApp(settings)
  await app.register(accounts, { prefix: '/api', routes: ['users', 'token', 'jwt'] })
  await app.register(notesApi, { prefix: '/api' })
  return app
}
