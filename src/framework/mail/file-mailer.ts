import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Mailer } from './mailer.ts'
import { renderMail, requireMailRendering } from './rfc822.ts'

let sequence = 0

/** `20261122T103000123Z-000042-1a2b3c.eml`: names sort by time, then by order in this process. */
function fileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '')
  sequence = (sequence + 1) % 1_000_000
  const order = String(sequence).padStart(6, '0')
  return `${stamp}-${order}-${randomBytes(3).toString('hex')}.eml`
}

/** Django's file backend: one RFC 822 `.eml` file per message in `directory` (made if missing). */
export function fileMailer(from: string, directory: string): Mailer {
  requireMailRendering()
  return {
    async send(mail) {
      const message = await renderMail(mail, from)
      await mkdir(directory, { recursive: true })
      // Mode 0600: a reset link in a shared directory is a login for whoever reads it.
      await writeFile(join(directory, fileName(new Date())), message, { mode: 0o600, flag: 'wx' })
    },
  }
}
