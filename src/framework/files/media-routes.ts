import { createReadStream } from 'node:fs'
import { extname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { NotFound } from '../errors.ts'
import { AllowAny } from '../permissions/allow-any.ts'
import { MEDIA_URL, type MediaStorage } from './media-storage.ts'

// Types by the extension we gave the file when we stored it; anything else is plain bytes.
const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
}

/**
 * `GET /media/{name}`: the stored files, to anyone (as Django serves MEDIA_URL); a name outside
 * the storage, missing or not a plain file is 404.
 */
export function mediaRoutes(app: FastifyInstance, storage: MediaStorage) {
  app.get(
    `${MEDIA_URL}*`,
    {
      config: {
        authentication: [],
        permissions: [AllowAny],
        view: { name: 'media', action: 'retrieve' },
        // Stored files, not part of the API.
        openapi: false,
      },
    },
    async (request, reply) => {
      const file = await storage.find((request.params as { '*': string })['*'])
      if (!file) throw new NotFound()
      return (
        reply
          .type(CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream')
          .header('content-length', file.size)
          // The type is ours: a browser must not guess another (an "image" run as HTML).
          .header('x-content-type-options', 'nosniff')
          // Opened directly, an uploaded file gets no scripts, styles or frames.
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(createReadStream(file.path))
      )
    },
  )
}
