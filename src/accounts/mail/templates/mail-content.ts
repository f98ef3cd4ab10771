import type { Mail } from '../../../framework/mail/mailer.ts'
import { escapeHtml } from './escape-html.ts'

/** A rendered template: everything of a mail but its recipient. */
export type MailContent = Omit<Mail, 'to'>

/** One paragraph of a mail: plain text, or a link shown as its own URL. */
export type Paragraph = string | { link: string }

/** Both bodies from the same paragraphs, so the text and HTML parts never say different things. */
export function mailContent(subject: string, paragraphs: Paragraph[]): MailContent {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : p.link)).join('\n\n')
  // Every value is escaped: a username or site name is user-controlled, a mail client renders it.
  const html = paragraphs
    .map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p)}</p>`
        : `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a></p>`,
    )
    .join('\n')
  return {
    subject,
    text: `${text}\n`,
    html: `<!doctype html>\n<html><body>\n${html}\n</body></html>\n`,
  }
}
