import type sharp from 'sharp'
import { loadOptional } from '../optional-package.ts'
import { type ImageFormat, imageSignature } from './image-signature.ts'

/** How an uploaded image is checked and stored. */
export interface ImageOptions {
  /** The most pixels (width × height) decoded; a bigger image is refused before decoding. */
  maxPixels: number
  /** The box the stored image fits in: aspect ratio kept, never enlarged. */
  fit: { width: number; height: number }
}

/** An upload decoded and encoded again: resized, with no metadata. */
export interface ReencodedImage {
  data: Buffer
  extension: string
  contentType: string
}

/** The image, or why it was refused. */
export type ImageCheck =
  | { ok: true; image: ReencodedImage }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'too_many_pixels'; pixels: number }

// A GIF is stored as its first frame in PNG: no animation reaches the store.
const STORED: Record<ImageFormat, { format: 'jpeg' | 'png' | 'webp'; extension: string }> = {
  jpeg: { format: 'jpeg', extension: 'jpg' },
  png: { format: 'png', extension: 'png' },
  webp: { format: 'webp', extension: 'webp' },
  gif: { format: 'png', extension: 'png' },
}

// sharp is an optional peer: only a server with an image upload route loads it.
const loadSharp = () => loadOptional<typeof import('sharp')>('sharp')

/**
 * Load the image codec (the optional "sharp" package) when an image upload route is registered,
 * so a server without it stops at start with the package to install, not at the first upload.
 */
export function requireImageSupport(): void {
  loadSharp()
}

const INVALID: ImageCheck = { ok: false, reason: 'invalid' }

/**
 * Check that `bytes` are an image by decoding them (never by a file name or a declared type),
 * then resize and encode it again, which drops EXIF, GPS and every other metadata.
 */
export async function reencodeImage(bytes: Buffer, options: ImageOptions): Promise<ImageCheck> {
  const sharp = loadSharp()
  const format = imageSignature(bytes)
  if (!format) return INVALID
  let meta: sharp.Metadata
  try {
    // Headers only, no pixels decoded: no limit yet, so a bomb is told its real size below.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  } catch {
    return INVALID
  }
  if (meta.format !== format || !meta.width || !meta.height) return INVALID
  // A decompression bomb declares huge dimensions in a few bytes: refuse it from the header.
  const pixels = meta.width * meta.height
  if (pixels > options.maxPixels) return { ok: false, reason: 'too_many_pixels', pixels }
  const stored = STORED[format]
  try {
    // limitInputPixels again, in case the decoder sees more than the header said.
    const data = await sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'error' })
      .rotate() // apply the EXIF orientation before the EXIF is dropped
      .resize({ ...options.fit, fit: 'inside', withoutEnlargement: true })
      .toFormat(stored.format)
      .toBuffer()
    return {
      ok: true,
      image: { data, extension: stored.extension, contentType: `image/${stored.format}` },
    }
  } catch {
    return INVALID
  }
}
