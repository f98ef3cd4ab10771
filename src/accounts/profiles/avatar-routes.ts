import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { MEDIA_URL, type MediaStorage } from '../../framework/files/media-storage.ts'
import { readImageUpload } from '../../framework/files/read-image-upload.ts'
import { requireImageSupport } from '../../framework/files/reencode-image.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { absoluteUrl } from '../../framework/resources/absolute-url.ts'
import { replaceAvatar } from './replace-avatar.ts'

/** How avatars are stored: within 512×512, from images of at most 25 megapixels. */
export const AVATAR_IMAGE = { fit: { width: 512, height: 512 }, maxPixels: 25_000_000 }

const AvatarBody = Type.Object({ avatar: Type.String({ format: 'uri' }) })

// The upload as OpenAPI shows it: one image file in the multipart field `avatar`.
const AvatarUpload: TSchema = Type.Object({
  avatar: Type.String({
    format: 'binary',
    contentMediaType: 'application/octet-stream',
    description: 'A JPEG, PNG, GIF or WebP image.',
  }),
})

/**
 * `PUT/PATCH /avatar/` (multipart `avatar`): the requester's own avatar, checked, resized and
 * stored under a name of ours in `storage`; the one it replaces is deleted. 200
 * `{"avatar": "<url>"}`. Needs the optional "sharp" package, checked here so a server without it
 * stops at start.
 */
export function avatarRoutes(app: FastifyInstance, storage: MediaStorage) {
  requireImageSupport()
  const { uploads } = app.accountsSettings
  const options = { ...uploads, ...AVATAR_IMAGE }
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/avatar/',
    config: {
      permissions: [IsAuthenticated],
      view: { name: 'avatar', action: 'update' },
      summary: 'Upload your avatar (multipart), replacing the one you had',
      // A file field: the handler reads the multipart body itself.
      body: AvatarUpload,
    },
    schema: { response: { 200: AvatarBody } },
    async handler(request) {
      const image = await readImageUpload(request, 'avatar', options)
      // Written only once valid, and deleted again if the profile cannot point at it.
      const name = await storage.save('avatars', image.extension, image.data)
      const replaced = await replaceAvatar(request.server.db, request.user!.id, name).catch(
        async (err) => {
          await storage.remove(name)
          throw err
        },
      )
      if (replaced) {
        await storage.remove(replaced).catch((err) => {
          request.log.warn({ err, name: replaced }, 'could not delete a replaced avatar')
        })
      }
      return { avatar: absoluteUrl(request, `${MEDIA_URL}${name}`) }
    },
  })
}
