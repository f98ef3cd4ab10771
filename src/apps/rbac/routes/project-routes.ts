import { randomUUID } from 'node:crypto'
import { type TObject, type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { IsAuthenticated, pageQuery, pageSchema, paginate, requestData } from 'portcullis'
import { getProject, visibleProjects } from '../organizations.ts'
import { onOrganization, onProject } from '../permissions.ts'
import { rbacRoles } from '../roles.ts'
import { ProjectBody, ProjectInput } from '../schema.ts'
import type { OrgParams } from './organization-routes.ts'

/** The URL parameters under one project. */
export type ProjectParams = OrgParams & { project_id: string }

const view = (action: string) => ({ name: 'project', action })
const body = { response: { 200: ProjectBody } }
// Typed as plain schemas: Fastify infers a route's config type, and TypeBox's are too deep.
const NewProject: TSchema = ProjectInput.input
const ProjectChange: TSchema = Type.Partial(ProjectInput.input)
const PageParams: TObject = Type.Object(pageQuery())

/** `/organizations/{id}/projects/` and `…/projects/{pid}/` (PATCH only: PUT answers 405). */
export function projectRoutes(app: FastifyInstance) {
  const list = '/organizations/:org_id/projects/'
  app.get<{ Params: OrgParams }>(
    list,
    {
      config: {
        permissions: [IsAuthenticated, onOrganization()],
        view: view('list'),
        summary: "An organization's projects that you can see",
        query: PageParams,
      },
      schema: { response: { 200: pageSchema(ProjectBody) } },
    },
    async (request) => {
      const { parent } = await rbacRoles.roleOn(request)
      return paginate(request, visibleProjects(request, request.params.org_id, parent))
    },
  )

  app.post<{ Params: OrgParams }>(
    list,
    {
      config: {
        permissions: [IsAuthenticated, onOrganization('editor')],
        view: view('create'),
        summary: 'Create a project (editors of the organization)',
        body: NewProject,
      },
      schema: { response: { 201: ProjectBody } },
    },
    async (request, reply) => {
      const data = await ProjectInput.validate(requestData(request))
      const project = {
        id: randomUUID(),
        organization_id: request.params.org_id,
        name: data.name!,
        created_at: new Date().toISOString(),
      }
      await request.server.db
        .transaction()
        .execute((trx) => trx.insertInto('rbac_projects').values(project).execute())
      reply.code(201)
      return getProject(request.server.db, project.organization_id, project.id)
    },
  )

  const detail = `${list}:project_id/`
  app.get<{ Params: ProjectParams }>(
    detail,
    {
      config: { permissions: [IsAuthenticated, onProject('viewer')], view: view('retrieve') },
      schema: body,
    },
    (request) => getProject(request.server.db, request.params.org_id, request.params.project_id),
  )

  app.patch<{ Params: ProjectParams }>(
    detail,
    {
      config: {
        permissions: [IsAuthenticated, onProject('editor')],
        view: view('partial_update'),
        summary: 'Rename a project (editors)',
        body: ProjectChange,
      },
      schema: body,
    },
    async (request) => {
      const { org_id, project_id } = request.params
      const data = await ProjectInput.validate(requestData(request), { partial: true })
      await request.server.db.transaction().execute(async (trx) => {
        if (data.name === undefined) return
        await trx
          .updateTable('rbac_projects')
          .set({ name: data.name })
          .where('id', '=', project_id)
          .execute()
      })
      return getProject(request.server.db, org_id, project_id)
    },
  )

  app.delete<{ Params: ProjectParams }>(
    detail,
    { config: { permissions: [IsAuthenticated, onProject('admin')], view: view('destroy') } },
    async (request, reply) => {
      await request.server.db
        .transaction()
        .execute((trx) =>
          trx.deleteFrom('rbac_projects').where('id', '=', request.params.project_id).execute(),
        )
      return reply.code(204).send()
    },
  )
}
