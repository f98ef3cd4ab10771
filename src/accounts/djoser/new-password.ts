import { ValidationError } from '../../framework/errors.ts'
import { f } from '../../framework/schema/index.ts'
import { type PasswordUser, validatePassword } from '../passwords/validators.ts'
import type { UserRow } from '../tables.ts'

/**
 * djoser's `new_password` field: kept as typed (no trim, as login reads it), long passwords
 * welcome, capped only so that hashing cannot be made a denial of service.
 */
export const newPasswordField = () =>
  f.string({ trim: false, maxLength: 4096, style: { inputType: 'password' } })

/** Django's four validators against this user; their messages go under `new_password`. */
export function checkNewPassword(password: string, user: UserRow | PasswordUser): void {
  const problems = validatePassword(password, user)
  if (problems.length) throw new ValidationError({ new_password: problems })
}
