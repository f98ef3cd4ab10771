import { DEFAULT_TOKEN_TIMEOUT_SECONDS } from '../credentials/one-time-token.ts'

/** djoser's settings that change what its endpoints do (part of the accounts settings). */
export interface DjoserSettings {
  /** SEND_ACTIVATION_EMAIL: new accounts (and changed emails) stay inactive until activated. */
  sendActivationEmail: boolean
  /** PASSWORD_CHANGED_EMAIL_CONFIRMATION: mail the user after a password change or reset. */
  passwordChangedEmailConfirmation: boolean
  /** PASSWORD_RESET_TIMEOUT (Django): how long reset and activation links work, in seconds. */
  tokenTimeoutSeconds: number
  /** DOMAIN: the host the mailed links point to; the request's host when empty. */
  domain: string
  /** SITE_NAME: how the mails name the site. */
  siteName: string
}

/** djoser's defaults: no activation or confirmation mails, links valid three days. */
export const DEFAULT_DJOSER_SETTINGS: DjoserSettings = {
  sendActivationEmail: false,
  passwordChangedEmailConfirmation: false,
  tokenTimeoutSeconds: DEFAULT_TOKEN_TIMEOUT_SECONDS,
  domain: '',
  siteName: 'Portcullis',
}
