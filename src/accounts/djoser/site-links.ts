import type { FastifyRequest } from 'fastify'
import { encodeUid } from '../credentials/one-time-token.ts'
import type { DjoserSettings } from './djoser-settings.ts'

/** djoser's ACTIVATION_URL and PASSWORD_RESET_CONFIRM_URL. */
export const LINK_PATHS = {
  activation: 'activate/{uid}/{token}',
  passwordReset: 'password/reset/confirm/{uid}/{token}',
} as const

/**
 * The `protocol://domain` mailed links start with: DOMAIN, else the request's host when the
 * server's allowed hosts name it, else null. Never an arbitrary Host header: a reset link
 * pointing at the sender's host would hand the victim's token to whoever forged it (reset
 * poisoning); a server without `installAllowedHosts` mails links only with DOMAIN set.
 */
export function siteOrigin(request: FastifyRequest, settings: DjoserSettings): string | null {
  if (settings.domain) return `${request.protocol}://${settings.domain}`
  const allowed = request.server.allowedHosts?.allows(request.host) ?? false
  return allowed ? `${request.protocol}://${request.host}` : null
}

/** A mailed link: the path template with the user's uid and the token filled in. */
export function oneTimeLink(
  origin: string,
  path: (typeof LINK_PATHS)[keyof typeof LINK_PATHS],
  userId: string,
  token: string,
): string {
  return `${origin}/${path.replace('{uid}', encodeUid(userId)).replace('{token}', token)}`
}
