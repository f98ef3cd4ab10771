import { randomBytes } from 'node:crypto'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'

/** A valid PNG of one colour. */
export function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer()
}

/** A valid PNG of random pixels (it compresses badly, so its image data is long). */
export function noisyPng(width = 256, height = 256): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer()
}

/** A JPEG with EXIF: a copyright marker, GPS coordinates, and orientation 6 (turn 90°). */
export function jpegWithExif(width = 200, height = 100): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#cc3333' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Copyright: 'SECRET-COPYRIGHT-MARKER' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
    })
    .toBuffer()
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A decompression bomb: a greyscale 1-bit PNG declaring `width`×`height` pixels. Only the first
 * `rows` rows are in its (tiny) compressed data; all of them when `rows` is the height.
 */
export function pngBomb(width: number, height: number, rows = 8): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([1, 0, 0, 0, 0], 8) // bit depth 1, greyscale, deflate, no filter, no interlace
  const row = 1 + Math.ceil(width / 8) // a filter byte, then the packed pixels
  const idat = deflateSync(Buffer.alloc(row * rows), { level: 9 })
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A multipart/form-data body as a browser sends it, and its content type. */
export async function multipart(
  parts: { field: string; data: Buffer | string; filename?: string; type?: string }[],
): Promise<{ payload: Buffer; headers: { 'content-type': string } }> {
  const form = new FormData()
  for (const { field, data, filename, type } of parts) {
    if (filename === undefined) form.append(field, String(data))
    else
      form.append(
        field,
        new Blob([typeof data === 'string' ? data : new Uint8Array(data)], {
          type: type ?? 'application/octet-stream',
        }),
        filename,
      )
  }
  const encoded = new Response(form)
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type')! },
  }
}
