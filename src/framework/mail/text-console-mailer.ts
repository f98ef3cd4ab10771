import type { MailWriter } from './console-mailer.ts'
import type { Mailer } from './mailer.ts'

const stdout: MailWriter = (text) => {
  process.stdout.write(text)
}

/**
 * The mailer of a server with no `mail` setting: each message's sender, recipient, subject and
 * text part on the console, then a rule of dashes. Unlike the `console` backend it needs no
 * "nodemailer" (it prints no MIME message), so a server that never set mail up starts without it.
 */
export function textConsoleMailer(from: string, write: MailWriter = stdout): Mailer {
  return {
    async send(mail) {
      const head = `From: ${from}\nTo: ${mail.to}\nSubject: ${mail.subject}`
      write(`${head}\n\n${mail.text}\n${'-'.repeat(79)}\n`)
    },
  }
}
