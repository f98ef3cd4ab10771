import nodemailer from 'nodemailer'
import type { Mailer } from './mailer.ts'

/** Django's SMTP backend, through nodemailer: `url` is `smtp://user:pass@host:587` (or smtps://). */
export function smtpMailer(from: string, url: string): Mailer {
  const transport = nodemailer.createTransport(url)
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail })
    },
  }
}
