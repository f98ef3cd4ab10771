import type { FastifyInstance } from 'fastify'
import { AllowAny } from '../permissions/allow-any.ts'

// A portcullis, drawn inline: pages load no asset from another origin, and browsers stop asking.
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2456c8"/><path d="M3 3h10M3 3v10M6.5 3v10M9.5 3v10M13 3v10M3 7h10M3 11h10" stroke="#fff" stroke-width="1.2"/></svg>`

/** `GET /favicon.ico`: the site icon, public and cached. */
export function faviconRoute(app: FastifyInstance) {
  app.get(
    '/favicon.ico',
    {
      config: {
        authentication: [],
        permissions: [AllowAny],
        view: { name: 'favicon', action: 'retrieve' },
        // An image for browsers, not part of the API.
        openapi: false,
      },
    },
    (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(ICON),
  )
}
