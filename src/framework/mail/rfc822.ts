import type Nodemailer from 'nodemailer'
import type StreamTransport from 'nodemailer/lib/stream-transport/index.js'
import { loadOptional } from '../optional-package.ts'
import type { Mail } from './mailer.ts'

type Renderer = Nodemailer.Transporter<StreamTransport.SentMessageInfo>
let renderer: Renderer | undefined

/**
 * Load the renderer (nodemailer's stream transport, from the optional "nodemailer" package) when
 * a mailer that prints or stores messages is made, so a server without it stops at start.
 */
export function requireMailRendering(): Renderer {
  renderer ??= loadOptional<typeof Nodemailer>('nodemailer').createTransport({
    streamTransport: true,
    buffer: true,
  })
  return renderer
}

// nodemailer writes headers with CRLF and bodies as given: CRLF throughout, as RFC 822 has it.
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n')

/** A message as RFC 822 text (headers, then a text and an HTML part), ready to print or store. */
export async function renderMail(mail: Mail, from: string): Promise<Buffer> {
  const info = await requireMailRendering().sendMail({
    from,
    ...mail,
    text: crlf(mail.text),
    html: crlf(mail.html),
  })
  return info.message as Buffer
}
