export { type ImageFormat, imageSignature } from './image-signature.ts'
export { mediaRoutes } from './media-routes.ts'
export {
  DEFAULT_MEDIA_ROOT,
  MEDIA_URL,
  type MediaStorage,
  mediaStorage,
  type StoredFile,
} from './media-storage.ts'
export { readImageUpload } from './read-image-upload.ts'
export {
  DEFAULT_MAX_UPLOAD_BYTES,
  readUpload,
  type UploadLimits,
} from './read-upload.ts'
export {
  type ImageCheck,
  type ImageOptions,
  type ReencodedImage,
  reencodeImage,
  requireImageSupport,
} from './reencode-image.ts'
export { UploadMessages } from './upload-messages.ts'
