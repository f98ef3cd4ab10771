import nodemailer from 'nodemailer'
import type { Mail } from './mailer.ts'

// Renders without sending: nodemailer's stream transport, collected into one buffer.
const renderer = nodemailer.createTransport({ streamTransport: true, buffer: true })

// nodemailer writes headers with CRLF and bodies as given: CRLF throughout, as RFC 822 has it.
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n')

/** A message as RFC 822 text (headers, then a text and an HTML part), ready to print or store. */
export async function renderMail(mail: Mail, from: string): Promise<Buffer> {
  const info = await renderer.sendMail({
    from,
    ...mail,
    text: crlf(mail.text),
    html: crlf(mail.html),
  })
  return info.message as Buffer
}
