import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** A mail read back from the file backend: its recipient and its decoded text. */
export interface StoredMail {
  file: string
  to: string
  text: string
}

// Quoted-printable as nodemailer writes it: soft line breaks and =XX escapes.
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/** The `.eml` files of a file-backend folder, oldest first (their names sort by time). */
export async function mailFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter((n) => n.endsWith('.eml')).sort()
}

async function readMail(dir: string, file: string): Promise<StoredMail> {
  const raw = await readFile(join(dir, file), 'utf8')
  const to = /^To: (.+)$/m.exec(raw)?.[1]?.trim() ?? ''
  return { file, to, text: decodeQuotedPrintable(raw) }
}

/**
 * Wait until the folder holds more than `seen` mails (mails go out after the answer), then read
 * the newest. Fails after `timeoutMs`.
 */
export async function nextMail(dir: string, seen: number, timeoutMs = 5000): Promise<StoredMail> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const files = await mailFiles(dir)
    if (files.length > seen) return readMail(dir, files[files.length - 1])
    if (Date.now() > deadline) throw new Error(`no new mail in ${dir} after ${timeoutMs} ms`)
    await sleep(20)
  }
}

/** The uid and token of the first link in a mail whose path is `…/{uid}/{token}`. */
export function linkParts(mail: StoredMail, path: string): { uid: string; token: string } {
  const match = new RegExp(`https?://[^\\s"<]*/${path}/([\\w-]+)/([\\w-]+)`).exec(mail.text)
  if (!match) throw new Error(`no ${path} link in ${mail.file}`)
  return { uid: match[1], token: match[2] }
}
