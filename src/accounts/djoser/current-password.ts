import type { FastifyRequest } from 'fastify'
import { passwordHasher } from '../../framework/auth/password-hasher.ts'
import { type FieldErrors, ValidationError } from '../../framework/errors.ts'
import {
  type FieldMap,
  f,
  type Input,
  type ResourceSchema,
  resourceSchema,
} from '../../framework/schema/index.ts'
import { userRowById } from '../user-changes.ts'

/** djoser's message for a wrong `current_password`. */
export const INVALID_PASSWORD = 'Invalid password.'

// Kept as typed (no trim), as login reads it: a password is never altered on its way in.
const CurrentPassword = resourceSchema('current password', {
  current_password: f.string({ trim: false, style: { inputType: 'password' } }),
})

async function fieldErrors(work: Promise<unknown>): Promise<FieldErrors> {
  try {
    await work
    return {}
  } catch (err) {
    if (err instanceof ValidationError) return err.errors
    throw err
  }
}

async function isCurrentPassword(request: FastifyRequest, password: string): Promise<boolean> {
  const user = request.user && (await userRowById(request.server.db, request.user.id))
  return user ? passwordHasher.verify(user.password, password) : false
}

/**
 * Validate `schema`'s fields plus djoser's `current_password` (the requester's own password) in
 * one pass, as DRF does: every field's errors together, `current_password` after the others.
 */
export async function validateWithCurrentPassword<F extends FieldMap>(
  request: FastifyRequest,
  schema: ResourceSchema<F>,
  data: unknown,
): Promise<Input<F>> {
  // A body that is not an object fails here, with DRF's non_field_errors.
  const clean = schema.validate(data)
  const errors = await fieldErrors(clean)
  const typed = await fieldErrors(CurrentPassword.validate(data))
  Object.assign(errors, typed)
  if (Object.keys(typed).length === 0) {
    const given = (data as { current_password: string | number }).current_password
    if (!(await isCurrentPassword(request, String(given)))) {
      errors.current_password = [INVALID_PASSWORD]
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return clean
}
