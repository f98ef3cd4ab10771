import { type TObject, type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { IsAuthenticated, NotFound, type Permission, pageQuery, pageSchema } from 'portcullis'
import type { GrantTable } from '../grant-tables.ts'
import { findMember, listMembers } from '../grants.ts'
import { NewGrantBody, RoleBody } from '../member-input.ts'
import { addMember, changeMember, type GrantChange, removeMember } from '../members.ts'
import { UUID } from '../roles.ts'
import { MemberBody } from '../schema.ts'

/** One kind of grant list: where it is mounted, what it lists and who may read or change it. */
export interface MemberRoutesOptions {
  /** The list's path, ending in `/members/`. */
  path: string
  grants: GrantTable
  /** Who may read (a role low enough for anyone who sees the object) and who may change. */
  read: Permission
  write: Permission
  /** The object, its organization, and the requester's role that counts, for this request. */
  target(request: FastifyRequest): Promise<Omit<GrantChange, 'grants'>>
}

type UserParams = { user_id: string }

const view = (action: string) => ({ name: 'member', action })

// Typed as plain schemas: Fastify infers a route's config type, and TypeBox's are too deep.
const NewGrant: TSchema = NewGrantBody
const RoleChange: TSchema = RoleBody
const PageParams: TObject = Type.Object(pageQuery())

// A non-UUID user id names no member: the same 404 as an unknown one.
function memberId(request: FastifyRequest): string {
  const id = (request.params as UserParams).user_id
  if (!UUID.test(id)) throw new NotFound()
  return id
}

/** The list, detail, add, change and remove routes of one kind of grant. */
export function memberRoutes(app: FastifyInstance, options: MemberRoutesOptions) {
  const { path, grants, target } = options
  const read = [IsAuthenticated, options.read]
  const write = [IsAuthenticated, options.write]
  const change = async (request: FastifyRequest): Promise<GrantChange> => ({
    grants,
    ...(await target(request)),
  })

  app.get(
    path,
    {
      config: {
        permissions: read,
        view: view('list'),
        summary: 'The members and their roles',
        query: PageParams,
      },
      schema: { response: { 200: pageSchema(MemberBody) } },
    },
    async (request) => listMembers(request, grants, (await target(request)).objectId),
  )
  app.post(
    path,
    {
      config: {
        permissions: write,
        view: view('create'),
        summary: 'Grant a role to a user, by id or email address',
        body: NewGrant,
      },
      schema: { response: { 201: MemberBody } },
    },
    async (request, reply) => {
      const member = await addMember(request, await change(request))
      return reply.code(201).send(member)
    },
  )
  const detail = `${path}:user_id/`
  const body = { response: { 200: MemberBody } }
  app.get(
    detail,
    {
      config: { permissions: read, view: view('retrieve'), summary: "A member's role" },
      schema: body,
    },
    async (request) =>
      findMember(request.server.db, grants, (await target(request)).objectId, memberId(request)),
  )
  app.patch(
    detail,
    {
      config: {
        permissions: write,
        view: view('partial_update'),
        summary: "Change a member's role",
        body: RoleChange,
      },
      schema: body,
    },
    async (request) => changeMember(request, await change(request), memberId(request)),
  )
  app.delete(
    detail,
    {
      config: {
        permissions: write,
        view: view('destroy'),
        summary: "Remove a member's role",
        // The last owner of an organization cannot leave it (LAST_OWNER).
        responses: { 400: null },
      },
    },
    async (request, reply) => {
      await removeMember(request, await change(request), memberId(request))
      return reply.code(204).send()
    },
  )
}
