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

/** Which of the three backends (Django's EMAIL_BACKEND) and its settings. */
export type MailSettings =
  | { backend: 'console'; from: string }
  | { backend: 'file'; from: string; directory: string }
  | { backend: 'smtp'; from: string; url: string }

/**
 * A mailer as Django's EMAIL_BACKEND: the console, `.eml` files in a folder, or an SMTP server
 * (`smtp://user:pass@host:587`); every message is from `from`.
 */
export function createMailer(settings: MailSettings): Mailer {
  switch (settings.backend) {
    case 'console':
      return consoleMailer(settings.from)
    case 'file':
      return fileMailer(settings.from, settings.directory)
    case 'smtp':
      return smtpMailer(settings.from, settings.url)
  }
}
