import { randomBytes } from 'node:crypto'
import { mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'

/** The URL path stored files are served under (Django's MEDIA_URL). */
export const MEDIA_URL = '/media/'

/** Where the reference server writes uploads unless told otherwise. */
export const DEFAULT_MEDIA_ROOT = 'data/media'

/** A stored file found for serving. */
export interface StoredFile {
  path: string
  size: number
}

/** Files the server writes under one folder, named by the server (Django's FileSystemStorage). */
export interface MediaStorage {
  /** The folder, absolute. */
  readonly root: string
  /** Write `data` as `{folder}/{random}.{extension}` and return that name; nothing is left on failure. */
  save(folder: string, extension: string, data: Buffer): Promise<string>
  /** Delete a stored file by name; a missing one is not an error. */
  remove(name: string): Promise<void>
  /** The regular file a name points to inside the root, or null (outside, missing, a folder). */
  find(name: string): Promise<StoredFile | null>
}

const SEGMENT = /^[a-z0-9_-]+$/

function inside(root: string, path: string) {
  const rel = relative(root, path)
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

/** A storage over the folder `root`. */
export function mediaStorage(root: string): MediaStorage {
  const base = resolve(root)
  // Only names we build are written; a name a client sent never reaches the disk (traversal).
  const within = (name: string) => {
    const path = resolve(base, name)
    return !name.includes('\0') && inside(base, path) ? path : null
  }
  return {
    root: base,
    async save(folder, extension, data) {
      if (!SEGMENT.test(folder) || !SEGMENT.test(extension)) {
        throw new Error(`media: folder and extension must match ${SEGMENT}`)
      }
      const name = `${folder}/${randomBytes(16).toString('hex')}.${extension}`
      const path = join(base, name)
      await mkdir(join(base, folder), { recursive: true })
      try {
        // 'wx': never overwrite, even on a (128-bit) name collision.
        await writeFile(path, data, { flag: 'wx', mode: 0o644 })
      } catch (err) {
        await rm(path, { force: true })
        throw err
      }
      return name
    },
    async remove(name) {
      const path = within(name)
      if (path) await rm(path, { force: true })
    },
    async find(name) {
      const path = within(name)
      if (!path) return null
      try {
        // Resolve symlinks too: a link inside the root must not lead outside it.
        const [real, realRoot] = await Promise.all([realpath(path), realpath(base)])
        if (!inside(realRoot, real)) return null
        const info = await stat(real)
        return info.isFile() ? { path: real, size: info.size } : null
      } catch {
        return null
      }
    },
  }
}
