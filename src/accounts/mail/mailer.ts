import { consoleMailer } from './console-mailer.ts'
import { fileMailer } from './file-mailer.ts'
import { smtpMailer } from './smtp-mailer.ts'

/** One message to one recipient, in plain text and HTML. */
export interface Mail {
  to: string
  subject: string
  text: string
  html: string
}

/** Where mail goes: the console, files, or an SMTP server. */
export interface Mailer {
  /** Send one message; rejects when the backend cannot take it. */
  send(mail: Mail): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How the server sends mail (activation, password reset). */
    mailer: Mailer
  }
}

/**
 * A mailer from the environment, as Django's EMAIL_BACKEND: `console` (the default), `file`
 * (`.eml` files in EMAIL_FILE_PATH, default `data/emails`) or `smtp` (EMAIL_URL, e.g.
 * `smtp://user:pass@host:587`); every message is from DEFAULT_FROM_EMAIL (`webmaster@localhost`).
 */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  const from = env.DEFAULT_FROM_EMAIL || 'webmaster@localhost'
  const backend = env.EMAIL_BACKEND || 'console'
  switch (backend) {
    case 'console':
      return consoleMailer(from)
    case 'file':
      return fileMailer(from, env.EMAIL_FILE_PATH || 'data/emails')
    case 'smtp':
      if (!env.EMAIL_URL)
        throw new Error('EMAIL_BACKEND=smtp needs EMAIL_URL, e.g. smtp://user:pass@host:587')
      return smtpMailer(from, env.EMAIL_URL)
    default:
      throw new Error(`EMAIL_BACKEND must be console, file or smtp, got "${backend}"`)
  }
}
