import type { FastifyRequest } from 'fastify'
import { makeToken } from '../credentials/one-time-token.ts'
import { secretKeyOf } from '../credentials/secret-key.ts'
import { activationMail } from '../mail/templates/activation.ts'
import type { MailContent } from '../mail/templates/mail-content.ts'
import { passwordChangedMail } from '../mail/templates/password-changed.ts'
import { passwordResetMail } from '../mail/templates/password-reset.ts'
import type { UserRow } from '../tables.ts'
import { hasUsablePassword, userRowByEmail, userRowById } from '../user-changes.ts'
import type { DjoserSettings } from './djoser-settings.ts'
import { LINK_PATHS, oneTimeLink, siteOrigin } from './site-links.ts'

async function send(request: FastifyRequest, to: string, content: MailContent) {
  await request.server.mailer.send({ to, ...content })
}

function originOrWarn(request: FastifyRequest, settings: DjoserSettings): string | null {
  const origin = siteOrigin(request, settings)
  if (!origin) {
    request.log.warn({ host: request.host }, 'mail not sent: set DOMAIN (or ALLOWED_HOSTS)')
  }
  return origin
}

/** Mail the activation link (djoser's ActivationEmail) for an inactive account. */
export async function sendActivationMail(
  request: FastifyRequest,
  user: UserRow,
  settings: DjoserSettings,
): Promise<void> {
  const origin = originOrWarn(request, settings)
  if (!origin) return
  const token = makeToken(user, secretKeyOf(request.server), Date.now(), 'activation')
  const url = oneTimeLink(origin, LINK_PATHS.activation, user.id, token)
  await send(request, user.email, activationMail({ siteName: settings.siteName, url }))
}

/**
 * Mail a new account's activation link. The account exists whatever happens to the mail: a
 * failure is logged and resend_activation sends the link again, rather than a 500 that makes the
 * client retry into "already exists".
 */
export async function mailNewAccountActivation(
  request: FastifyRequest,
  userId: string,
  settings: DjoserSettings,
): Promise<void> {
  const row = await userRowById(request.server.db, userId)
  if (!row) return
  await sendActivationMail(request, row, settings).catch((err: unknown) =>
    request.log.error({ err }, 'could not send the activation mail'),
  )
}

/** Mail the password reset link (djoser's PasswordResetEmail). */
export async function sendPasswordResetMail(
  request: FastifyRequest,
  user: UserRow,
  settings: DjoserSettings,
): Promise<void> {
  const origin = originOrWarn(request, settings)
  if (!origin) return
  const token = makeToken(user, secretKeyOf(request.server), Date.now(), 'password_reset')
  const url = oneTimeLink(origin, LINK_PATHS.passwordReset, user.id, token)
  const content = passwordResetMail({ siteName: settings.siteName, url, username: user.username })
  await send(request, user.email, content)
}

/**
 * Mail a reset link to the account `email` names, if it is active and can log in (Django's
 * PasswordResetForm.get_users); to any other address, nothing. Run after the answer.
 */
export async function mailPasswordResetLink(request: FastifyRequest, email: string) {
  const user = await userRowByEmail(request.server.db, email)
  if (!user?.is_active || !hasUsablePassword(user)) return
  await sendPasswordResetMail(request, user, request.server.accountsSettings.djoser)
}

/**
 * Mail a new activation link to the account `email` names, if it is inactive and has a password
 * (djoser's resend_activation); to any other address, nothing. Run after the answer.
 */
export async function mailActivationLinkAgain(
  request: FastifyRequest,
  email: string,
  settings: DjoserSettings,
) {
  const user = await userRowByEmail(request.server.db, email)
  if (!user || user.is_active || !hasUsablePassword(user)) return
  await sendActivationMail(request, user, settings)
}

/** Tell the user their password changed (djoser's PasswordChangedConfirmationEmail), if enabled. */
export async function sendPasswordChangedMail(
  request: FastifyRequest,
  user: Pick<UserRow, 'email'>,
  settings: DjoserSettings,
): Promise<void> {
  if (!settings.passwordChangedEmailConfirmation) return
  await send(request, user.email, passwordChangedMail({ siteName: settings.siteName }))
}
