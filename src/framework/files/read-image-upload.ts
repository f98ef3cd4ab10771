import type { FastifyRequest } from 'fastify'
import { ValidationError } from '../errors.ts'
import { readUpload, type UploadLimits } from './read-upload.ts'
import { type ImageOptions, type ReencodedImage, reencodeImage } from './reencode-image.ts'
import { UploadMessages } from './upload-messages.ts'

/**
 * The image sent in multipart field `field` (DRF's ImageField), checked by decoding it, resized
 * and stripped of metadata; a field error with Django's message for anything else.
 */
export async function readImageUpload(
  request: FastifyRequest,
  field: string,
  options: UploadLimits & ImageOptions,
): Promise<ReencodedImage> {
  const bytes = await readUpload(request, field, options)
  const check = await reencodeImage(bytes, options)
  if (check.ok) return check.image
  const message =
    check.reason === 'too_many_pixels'
      ? UploadMessages.tooManyPixels(options.maxPixels, check.pixels)
      : UploadMessages.invalidImage
  throw new ValidationError({ [field]: [message] })
}
