import { Type } from '@sinclair/typebox'
import { action } from '../../../framework/resources/viewset.ts'
import { grant, grantsOf, revoke } from '../grants.ts'
import { assertMayGrant } from '../user-authority.ts'
import { CodenamesBody, codenameInput } from './codename-input.ts'
import type { GroupRow } from './group-members.ts'

/**
 * `GET/POST/DELETE /groups/{id}/permissions/`: the group's codenames; POST and DELETE take
 * `{"permissions": [...]}` and answer the group's codenames after the change.
 */
export const groupPermissions = action<GroupRow>({
  detail: true,
  methods: ['GET', 'POST', 'DELETE'],
  summary: "A group's permissions; POST grants and DELETE revokes codenames",
  body: CodenamesBody,
  responses: { 200: Type.Object({ permissions: Type.Array(Type.String()) }) },
  async handler(request, _reply, { getObject }) {
    const holder = { kind: 'group' as const, id: (await getObject()).id }
    const { db } = request.server
    if (request.method === 'POST') {
      // A group's grants reach every member: only what the granter holds may be given.
      const codenames = codenameInput(request)
      await assertMayGrant(db, request.user!, codenames)
      await grant(db, holder, codenames)
    }
    if (request.method === 'DELETE') await revoke(db, holder, codenameInput(request))
    return { permissions: await grantsOf(db, holder) }
  },
})
