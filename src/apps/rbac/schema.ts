import { Type } from '@sinclair/typebox'
import { f, resourceSchema } from 'portcullis'
import { ROLES } from './roles.ts'

/** An organization's writable fields: its name. */
export const OrganizationInput = resourceSchema('organization', {
  name: f.string({ maxLength: 100 }),
})

/** A project's writable fields: its name (its organization is the URL's). */
export const ProjectInput = resourceSchema('project', {
  name: f.string({ maxLength: 100 }),
})

/** `{"id","name","created_at"}`. */
export const OrganizationBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
})

/** `{"id","organization","name","created_at"}`. */
export const ProjectBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  organization: Type.String({ format: 'uuid' }),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
})

/** `{"user_id","username","email","name","role"}`: a grant as the API shows it. */
export const MemberBody = Type.Object({
  user_id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Unsafe<(typeof ROLES.roles)[number]>({ type: 'string', enum: [...ROLES.roles] }),
})
