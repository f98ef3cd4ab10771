import { randomUUID } from 'node:crypto'
import { type TObject, type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { IsAuthenticated, pageQuery, pageSchema, paginate, requestData } from 'portcullis'
import { getOrganization, visibleOrganizations } from '../organizations.ts'
import { onOrganization } from '../permissions.ts'
import { OrganizationBody, OrganizationInput } from '../schema.ts'

/** The URL parameters under one organization. */
export type OrgParams = { org_id: string }

const view = (action: string) => ({ name: 'organization', action })

// Typed as plain schemas: Fastify infers a route's config type, and TypeBox's are too deep.
const NewOrganization: TSchema = OrganizationInput.input
const OrganizationChange: TSchema = Type.Partial(OrganizationInput.input)
const PageParams: TObject = Type.Object(pageQuery())

/** `/organizations/` and `/organizations/{id}/` (PATCH only: PUT answers 405). */
export function organizationRoutes(app: FastifyInstance) {
  app.get(
    '/organizations/',
    {
      config: {
        view: view('list'),
        summary: 'The organizations you are a member of',
        query: PageParams,
      },
      schema: { response: { 200: pageSchema(OrganizationBody) } },
    },
    (request) => paginate(request, visibleOrganizations(request)),
  )

  app.post(
    '/organizations/',
    {
      config: {
        view: view('create'),
        summary: 'Create an organization (you become its owner)',
        body: NewOrganization,
      },
      schema: { response: { 201: OrganizationBody } },
    },
    async (request, reply) => {
      const data = await OrganizationInput.validate(requestData(request))
      const org = { id: randomUUID(), name: data.name!, created_at: new Date().toISOString() }
      // The creator becomes its owner in the same transaction: never an organization nobody manages.
      await request.server.db.transaction().execute(async (trx) => {
        await trx.insertInto('rbac_organizations').values(org).execute()
        await trx
          .insertInto('rbac_org_members')
          .values({
            organization_id: org.id,
            user_id: request.user!.id,
            role: 'owner',
            created_at: org.created_at,
          })
          .execute()
      })
      reply.code(201)
      return getOrganization(request.server.db, org.id)
    },
  )

  const detail = '/organizations/:org_id/'
  const body = { response: { 200: OrganizationBody } }
  app.get<{ Params: OrgParams }>(
    detail,
    {
      config: { permissions: [IsAuthenticated, onOrganization()], view: view('retrieve') },
      schema: body,
    },
    (request) => getOrganization(request.server.db, request.params.org_id),
  )

  app.patch<{ Params: OrgParams }>(
    detail,
    {
      config: {
        permissions: [IsAuthenticated, onOrganization('admin')],
        view: view('partial_update'),
        summary: 'Rename an organization (admins)',
        body: OrganizationChange,
      },
      schema: body,
    },
    async (request) => {
      const id = request.params.org_id
      const data = await OrganizationInput.validate(requestData(request), { partial: true })
      await request.server.db.transaction().execute(async (trx) => {
        if (data.name !== undefined) {
          await trx
            .updateTable('rbac_organizations')
            .set({ name: data.name })
            .where('id', '=', id)
            .execute()
        }
      })
      return getOrganization(request.server.db, id)
    },
  )

  app.delete<{ Params: OrgParams }>(
    detail,
    {
      config: {
        permissions: [IsAuthenticated, onOrganization('owner')],
        view: view('destroy'),
        summary: 'Delete an organization, its projects and grants (owners)',
      },
    },
    async (request, reply) => {
      // Projects and grants go with it (foreign keys cascade), in the statement's transaction.
      await request.server.db
        .transaction()
        .execute((trx) =>
          trx.deleteFrom('rbac_organizations').where('id', '=', request.params.org_id).execute(),
        )
      return reply.code(204).send()
    },
  )
}
