import type { FastifyRequest } from 'fastify'
import { encodeUid } from '../credentials/one-time-token.ts'
import type { DjoserSettings } from './djoser-settings.ts'

// Without DOMAIN, these hosts may name the site (Django's ALLOWED_HOSTS in development).
const LOCAL_HOSTS = 'localhost,127.0.0.1,[::1]'

/** djoser's ACTIVATION_URL and PASSWORD_RESET_CONFIRM_URL. */
export const LINK_PATHS = {
  activation: 'activate/{uid}/{token}',
  passwordReset: 'password/reset/confirm/{uid}/{token}',
} as const

function hostAllowed(host: string, env: NodeJS.ProcessEnv): boolean {
  const allowed = (env.ALLOWED_HOSTS || LOCAL_HOSTS).split(',').map((h) => h.trim().toLowerCase())
  const name = host.toLowerCase().replace(/:\d+$/, '')
  return allowed.includes('*') || allowed.includes(name)
}

/**
 * The `protocol://domain` mailed links start with: DOMAIN, else the request's host when
 * ALLOWED_HOSTS names it, else null. Never an arbitrary Host header: a reset link pointing at
 * the sender's host would hand the victim's token to whoever forged it (reset poisoning).
 */
export function siteOrigin(
  request: FastifyRequest,
  settings: DjoserSettings,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (settings.domain) return `${request.protocol}://${settings.domain}`
  return hostAllowed(request.host, env) ? `${request.protocol}://${request.host}` : null
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
