import { type MailContent, mailContent } from './mail-content.ts'

/** djoser's password reset mail: the link to choose a new password, and the username. */
export function passwordResetMail(context: {
  siteName: string
  url: string
  username: string
}): MailContent {
  const { siteName, url, username } = context
  return mailContent(`Password reset on ${siteName}`, [
    `You're receiving this email because you requested a password reset for your user account at ${siteName}.`,
    'Please go to the following page and choose a new password:',
    { link: url },
    `Your username, in case you've forgotten: ${username}`,
    'Thanks for using our site!',
    `The ${siteName} team`,
  ])
}
