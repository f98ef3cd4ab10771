import { type MailContent, mailContent } from './mail-content.ts'

/** djoser's password-changed confirmation: tells the owner, in case it was not them. */
export function passwordChangedMail(context: { siteName: string }): MailContent {
  const { siteName } = context
  return mailContent(`${siteName} - Your password has been successfully changed!`, [
    'Your password has been changed!',
    'If you did not change it, reset it now: you have been signed out everywhere else.',
    'Thanks for using our site!',
    `The ${siteName} team`,
  ])
}
