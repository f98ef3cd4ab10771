import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'

/** One mail as the file backend wrote it, decoded enough for tests. */
export interface ReadMail {
  file: string
  to: string
  subject: string
  text: string
  html: string
}

/** A file-backend mailbox in a temporary folder, and ways to read what the server sent. */
export interface Mailbox {
  dir: string
  /** The settings that send a server's mail here: give them to `createTestApp`. */
  env: { EMAIL_BACKEND: string; EMAIL_FILE_PATH: string }
  /** Every mail, oldest first (the backend names files so that they sort by time). */
  all(): ReadMail[]
  /** The newest mail to `to`, waiting for it (resets are sent after the answer). */
  waitForMail(to: string, after?: number): Promise<ReadMail>
  remove(): void
}

// Quoted-printable (RFC 2045): soft line breaks go, =XX bytes come back.
function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function part(message: string, type: string): string {
  const at = message.indexOf(`Content-Type: ${type}`)
  if (at === -1) return ''
  const rest = message.slice(at)
  const start = rest.indexOf('\n\n') + 2
  const body = rest.slice(start, rest.indexOf('\n----', start))
  const encoding = /Content-Transfer-Encoding: (\S+)/.exec(rest.slice(0, start))?.[1]
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body)
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8')
  return body
}

function parse(file: string, raw: string): ReadMail {
  const message = raw.replace(/\r\n/g, '\n')
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(message)?.[1] ?? ''
  return {
    file,
    to: header('To'),
    subject: header('Subject'),
    text: part(message, 'text/plain'),
    html: part(message, 'text/html'),
  }
}

/** A fresh folder for the file backend; a server created with `env` mails into it. */
export function createMailbox(): Mailbox {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-mail-'))
  const all = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .map((f) => parse(f, readFileSync(join(dir, f), 'utf8')))
  return {
    dir,
    env: { EMAIL_BACKEND: 'file', EMAIL_FILE_PATH: dir },
    all,
    async waitForMail(to, after = 0) {
      return vi.waitFor(
        () => {
          const mail = all()
            .slice(after)
            .filter((m) => m.to === to)
            .at(-1)
          if (!mail) throw new Error(`no mail to ${to} yet`)
          return mail
        },
        { timeout: 5000, interval: 20 },
      )
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The uid and token of a mailed link `…/{uid}/{token}`, read from the mail's text. */
export function linkIn(mail: ReadMail, path: string): { url: string; uid: string; token: string } {
  const match = new RegExp(`(https?://\\S+/${path}/([^/\\s]+)/([^/\\s]+))`).exec(mail.text)
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`)
  return { url: match[1]!, uid: match[2]!, token: match[3]! }
}
