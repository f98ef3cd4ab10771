import type Nodemailer from 'nodemailer'
import { loadOptional } from '../optional-package.ts'
import type { Mailer } from './mailer.ts'

/**
 * Django's SMTP backend, through the optional "nodemailer" package (loaded here, so a server that
 * asks for SMTP without it stops at start): `url` is `smtp://user:pass@host:587` (or smtps://).
 */
export function smtpMailer(from: string, url: string): Mailer {
  const nodemailer = loadOptional<typeof Nodemailer>('nodemailer')
  const transport = nodemailer.createTransport(url)
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail })
    },
  }
}
