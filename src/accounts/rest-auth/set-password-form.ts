import { ValidationError } from '../../framework/errors.ts'
import { f } from '../../framework/schema/index.ts'
import { type PasswordUser, validatePassword } from '../passwords/validators.ts'

/** The two new-password fields as rest-auth's serializers declare them (CharField, 128). */
export const newPasswordFields = {
  // Kept as typed: a password's spaces are part of it.
  new_password1: f.string({ trim: false, maxLength: 128, style: { inputType: 'password' } }),
  new_password2: f.string({ trim: false, maxLength: 128, style: { inputType: 'password' } }),
}

// Django's message, typographic apostrophe included.
const MISMATCH = 'The two password fields didn’t match.'

/**
 * Django's SetPasswordForm: the two entries must match, then the password validators (which see
 * the user's username, email and name) run; every message goes under `new_password2`.
 */
export function checkNewPassword(password1: string, password2: string, user: PasswordUser) {
  if (password1 !== password2) throw new ValidationError({ new_password2: [MISMATCH] })
  const problems = validatePassword(password2, user)
  if (problems.length > 0) throw new ValidationError({ new_password2: problems })
}
