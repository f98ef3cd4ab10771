import type { FastifyRequest } from 'fastify'
import type { AuthUser, View } from '../../../src/framework/index.ts'

/** A user for permission tests. */
export function someUser(id: string, flags: Partial<AuthUser> = {}): AuthUser {
  return { id, username: id, is_active: true, is_staff: false, is_superuser: false, ...flags }
}

/** The request fields a permission reads; the log swallows the "check threw" lines. */
export function requestAs(user: AuthUser | null, method = 'GET'): FastifyRequest {
  return { user, method, log: { error() {} } } as unknown as FastifyRequest
}

/** A view as a viewset's detail route passes it. */
export const detailView: View = { name: 'thing', action: 'retrieve' }
