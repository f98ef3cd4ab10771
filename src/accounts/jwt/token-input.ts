import type { FastifyRequest } from 'fastify'
import { enforceCsrf } from '../../framework/auth/csrf.ts'
import { requestData } from '../../framework/body.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { refreshCookie } from './jwt-cookies.ts'

/** `/token/`: simplejwt's TokenObtainSerializer, both fields required and not blank. */
export const CredentialsBody = resourceSchema('token', {
  username: f.string(),
  // Kept as typed: trimming would lock out a user whose password starts or ends with a space.
  password: f.string({ trim: false, style: { inputType: 'password' } }),
})

/** `/token/refresh/` and `/token/blacklist/`. */
export const RefreshBody = resourceSchema('token', { refresh: f.string() })

/** `/token/verify/`. */
export const VerifyBody = resourceSchema('token', { token: f.string() })

/** A refresh token as presented, and whether the browser sent it as a cookie. */
export interface PresentedRefresh {
  token: string
  fromCookie: boolean
}

/** The body's `refresh`, or in cookie mode (when the body has none) the refresh cookie. */
export async function presentedRefresh(request: FastifyRequest): Promise<PresentedRefresh> {
  const data = requestData(request)
  const cookie = refreshCookie(request)
  const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null
  if (cookie && body && body.refresh === undefined) {
    // A browser sends the cookie on its own, cross-site too: the CSRF token proves our page asked.
    enforceCsrf(request)
    return { token: cookie, fromCookie: true }
  }
  const { refresh } = await RefreshBody.validate(data)
  return { token: refresh!, fromCookie: false }
}
