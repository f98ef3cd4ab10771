import { type MailContent, mailContent } from './mail-content.ts'

/** djoser's activation mail: the link that activates a new account. */
export function activationMail(context: { siteName: string; url: string }): MailContent {
  const { siteName, url } = context
  return mailContent(`Account activation on ${siteName}`, [
    `You're receiving this email because you need to finish activation process on ${siteName}.`,
    'Please go to the following page to activate account:',
    { link: url },
    'Thanks for using our site!',
    `The ${siteName} team`,
  ])
}
