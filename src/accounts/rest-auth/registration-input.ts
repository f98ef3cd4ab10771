import type { Database } from '../../framework/db/database.ts'
import { type FieldErrors, ValidationError } from '../../framework/errors.ts'
import { f, type Input, resourceSchema } from '../../framework/schema/index.ts'
import { validatePassword } from '../passwords/validators.ts'
import { type NewUser, NewUserSchema, userUniqueness } from '../users.ts'

// allauth's messages where they differ from Django's.
const EMAIL_TAKEN = 'A user is already registered with this e-mail address.'
const MISMATCH = "The two password fields didn't match."

/** dj-rest-auth's RegisterSerializer with allauth: username, email (required here), two passwords. */
export const RegistrationInput = resourceSchema('user', {
  username: NewUserSchema.fields.username,
  email: f.email({ maxLength: 254, unique: true, uniqueMessage: EMAIL_TAKEN }),
  password1: f.string({ trim: false, maxLength: 4096, style: { inputType: 'password' } }),
  password2: f.string({ trim: false, maxLength: 4096, style: { inputType: 'password' } }),
})
const FIELD_ORDER = Object.keys(RegistrationInput.fields)
const passwordField = RegistrationInput.fields.password1

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

// Field errors in the serializer's field order, as DRF reports them.
function inFieldOrder(errors: FieldErrors): FieldErrors {
  const ordered: FieldErrors = {}
  for (const name of FIELD_ORDER) if (errors[name]) ordered[name] = errors[name]
  return ordered
}

/**
 * Validate a registration as allauth does: every field's errors together (the password
 * validators, which see the posted username and email, under `password1`), then the match.
 */
export async function validateRegistration(db: Database, data: unknown): Promise<NewUser> {
  let errors: FieldErrors = {}
  let clean: Input<typeof RegistrationInput.fields> = {}
  try {
    clean = await RegistrationInput.validate(data, { unique: userUniqueness(db) })
  } catch (err) {
    // A body that is not an object has nothing more to check.
    if (!(err instanceof ValidationError) || err.errors.non_field_errors) throw err
    errors = { ...err.errors }
  }
  const body = data as Record<string, unknown>
  const password1 = body.password1 == null ? null : passwordField.parse(body.password1)
  if (password1?.ok) {
    const user = { username: text(body.username), email: text(body.email) }
    const problems = validatePassword(password1.value, user)
    if (problems.length > 0) errors.password1 = problems
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(inFieldOrder(errors))
  if (clean.password1 !== clean.password2) {
    throw new ValidationError({ non_field_errors: [MISMATCH] })
  }
  return { username: clean.username!, email: clean.email!, password: clean.password1! }
}

/** A unique race lost in createUser, with allauth's email message instead of Django's. */
export function withAllauthMessages(err: unknown): unknown {
  if (!(err instanceof ValidationError) || !err.errors.email) return err
  return new ValidationError({ ...err.errors, email: [EMAIL_TAKEN] })
}
