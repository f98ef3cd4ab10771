import { Type } from '@sinclair/typebox'
import { f, resourceSchema } from 'portcullis'
import { ROLES } from './roles.ts'

/** `{"id","name","created_at"}`: only the name is written. */
export const OrganizationSchema = resourceSchema('organization', {
  id: f.uuid({ readOnly: true }),
  name: f.string({ maxLength: 100 }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})

/** `{"id","organization","name","created_at"}`: its organization is the URL's. */
export const ProjectSchema = resourceSchema('project', {
  id: f.uuid({ readOnly: true }),
  organization: f.uuid({ readOnly: true }),
  name: f.string({ maxLength: 100 }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})

/** `{"user_id","username","email","name","role"}`: a grant as the API shows it. */
export const MemberBody = Type.Object({
  user_id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Unsafe<(typeof ROLES.roles)[number]>({ type: 'string', enum: [...ROLES.roles] }),
})
