import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { requestData } from '../../../framework/body.ts'
import { ValidationError } from '../../../framework/errors.ts'
import { CODENAME } from '../../../framework/permissions/codenames.ts'
import { pythonTypeName } from '../../../framework/schema/python-type-name.ts'

/** The body of a grant or revoke, for OpenAPI. */
export const CodenamesBody: TSchema = Type.Object({
  permissions: Type.Array(Type.String({ description: 'A codename: app.action_model.' })),
})

/** The `{"permissions": ["app.action_model", …]}` of a grant or revoke, with DRF's messages. */
export function codenameInput(request: FastifyRequest): string[] {
  const { permissions } = requestData(request) as { permissions?: unknown }
  if (permissions === undefined)
    throw new ValidationError({ permissions: ['This field is required.'] })
  if (!Array.isArray(permissions)) {
    throw new ValidationError({
      permissions: [`Expected a list of items but got type "${pythonTypeName(permissions)}".`],
    })
  }
  const bad = permissions.filter((p) => typeof p !== 'string' || !CODENAME.test(p))
  if (bad.length) {
    throw new ValidationError({
      permissions: bad.map(
        (p) => `"${String(p)}" is not a permission codename (app.action_model).`,
      ),
    })
  }
  return permissions as string[]
}
