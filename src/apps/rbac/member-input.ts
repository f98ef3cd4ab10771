import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { type Field, f, fail, ok, requestData, resourceSchema, ValidationError } from 'portcullis'
import { ROLES, type Role } from './roles.ts'

// A key that names no user is a field error, reported with the others (role, email).
const userId: Field<string> = {
  ...f.uuid({ required: false }),
  async resolve(id, { db }) {
    const found = await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()
    return found ? ok(id) : fail(`Invalid pk "${id}" - object does not exist.`)
  },
}

/** A new grant's body: `{"user_id"|"email","role"}` (DRF's field-then-object validation). */
const MemberInput = resourceSchema('member', {
  user_id: userId,
  email: f.email({ required: false }),
  role: f.choice(ROLES.roles),
})

/** A changed grant's body: `{"role"}`. */
const RoleInput = resourceSchema('member', { role: f.choice(ROLES.roles) })

/** A new grant's body, for OpenAPI. */
export const NewGrantBody = MemberInput.input

/** A changed grant's body, for OpenAPI. */
export const RoleBody = RoleInput.input

/** Who gets which role, from a valid new-grant body. */
export interface NewGrant {
  userId: string
  role: Role
}

/** Validate a new grant's body: the user by id, or by e-mail address (any case). */
export async function readNewGrant(request: FastifyRequest): Promise<NewGrant> {
  const db = request.server.db
  const data = await MemberInput.validate(requestData(request), { context: { request, db } })
  const role = data.role as Role
  if (data.user_id) return { userId: data.user_id, role }
  if (!data.email) throw new ValidationError({ user_id: ['This field is required.'] })
  const user = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', data.email.toLowerCase())
    .executeTakeFirst()
  if (!user) throw new ValidationError({ email: ['No user has this e-mail address.'] })
  return { userId: user.id, role }
}

/** Validate a changed grant's body. */
export async function readRole(request: FastifyRequest): Promise<Role> {
  const data = await RoleInput.validate(requestData(request))
  return data.role as Role
}
