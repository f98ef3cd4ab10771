import { DEFAULT_TOKEN_TIMEOUT_SECONDS } from '../credentials/one-time-token.ts'

/** djoser's settings that change what its endpoints do, read from the environment per request. */
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

const TRUE = /^(1|true|yes|on)$/i

function seconds(raw: string | undefined): number {
  const n = Number(raw)
  return raw && Number.isInteger(n) && n > 0 ? n : DEFAULT_TOKEN_TIMEOUT_SECONDS
}

/** The settings now: read on every request, so a test (or an operator) can flip them live. */
export function djoserSettings(env: NodeJS.ProcessEnv = process.env): DjoserSettings {
  return {
    sendActivationEmail: TRUE.test(env.SEND_ACTIVATION_EMAIL ?? ''),
    passwordChangedEmailConfirmation: TRUE.test(env.PASSWORD_CHANGED_EMAIL_CONFIRMATION ?? ''),
    tokenTimeoutSeconds: seconds(env.PASSWORD_RESET_TIMEOUT),
    domain: env.DOMAIN ?? '',
    siteName: env.SITE_NAME || 'Portcullis',
  }
}
