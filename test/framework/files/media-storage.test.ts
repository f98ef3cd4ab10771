import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mediaStorage } from '../../../src/framework/index.ts'
import { uploadLimitsFromEnv } from '../../../src/settings-from-env.ts'

const base = mkdtempSync(join(tmpdir(), 'portcullis-storage-'))
const root = join(base, 'media')
const storage = mediaStorage(root)
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('mediaStorage', () => {
  it('saves under a random name of its own, finds and removes it', async () => {
    const name = await storage.save('avatars', 'png', Buffer.from('x'))
    expect(name).toMatch(/^avatars\/[0-9a-f]{32}\.png$/)
    expect(await storage.find(name)).toEqual({ path: join(root, name), size: 1 })
    await storage.remove(name)
    expect(await storage.find(name)).toBeNull()
    await storage.remove(name) // a missing file is not an error
  })

  it('refuses folder and extension names it did not expect', async () => {
    for (const [folder, ext] of [
      ['../x', 'png'],
      ['avatars', 'png/../../x'],
      ['', 'png'],
    ]) {
      await expect(storage.save(folder, ext, Buffer.from('x'))).rejects.toThrow(/must match/)
    }
    expect(readdirSync(base)).toEqual(['media'])
  })

  it('finds nothing outside the root, through a link, or that is not a file', async () => {
    writeFileSync(join(base, 'secret'), 'secret')
    mkdirSync(join(root, 'dir'), { recursive: true })
    symlinkSync(join(base, 'secret'), join(root, 'dir', 'link'))
    for (const name of [
      '../secret',
      'dir/../../secret',
      join(base, 'secret'),
      'dir',
      'dir/link',
      '',
      '.',
      'a\0b',
    ]) {
      expect(await storage.find(name), JSON.stringify(name)).toBeNull()
    }
    await storage.remove('../secret')
    expect(readdirSync(base).sort()).toEqual(['media', 'secret'])
  })
})

describe('uploadLimitsFromEnv', () => {
  it('reads MAX_UPLOAD_BYTES, 2 MiB by default, and refuses nonsense at start', () => {
    expect(uploadLimitsFromEnv({})).toEqual({ maxBytes: 2097152 })
    expect(uploadLimitsFromEnv({ MAX_UPLOAD_BYTES: '1024' })).toEqual({ maxBytes: 1024 })
    for (const bad of ['0', '-1', '2MB', '1.5']) {
      expect(() => uploadLimitsFromEnv({ MAX_UPLOAD_BYTES: bad })).toThrow(/MAX_UPLOAD_BYTES/)
    }
  })
})
