import type { Mailer } from './mailer.ts'
import { renderMail, requireMailRendering } from './rfc822.ts'

/** Where the console backend writes: stdout by default, any logger line-writer otherwise. */
export type MailWriter = (text: string) => void

const stdout: MailWriter = (text) => {
  process.stdout.write(text)
}

/** Django's console backend: each message, in full, followed by a rule of dashes. */
export function consoleMailer(from: string, write: MailWriter = stdout): Mailer {
  requireMailRendering()
  return {
    async send(mail) {
      const message = await renderMail(mail, from)
      write(`${message.toString('utf8')}\n${'-'.repeat(79)}\n`)
    },
  }
}
