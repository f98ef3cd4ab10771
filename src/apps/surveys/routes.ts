import { IsAuthenticatedOrReadOnly, Router, viewset } from 'portcullis'
import { IsCreatorOrReadOnly } from './permissions.ts'
import { SurveySchema } from './schema.ts'
import { publishedOrOwnDrafts } from './visibility.ts'

/**
 * `/survey/api/surveys/`: published surveys for everyone, drafts for their creator alone; only
 * the creator changes or deletes one. IsAuthenticatedOrReadOnly comes first so an anonymous write
 * is told to log in (401) before any object is looked at (anchor item 15).
 */
export const surveys = viewset({
  basename: 'survey',
  table: 'surveys',
  schema: SurveySchema,
  permissions: [IsAuthenticatedOrReadOnly, IsCreatorOrReadOnly],
  query: (db) =>
    db.selectFrom('surveys').innerJoin('users', 'users.id', 'surveys.creator_id').select([
      'surveys.id',
      'surveys.title',
      'surveys.description',
      'surveys.status',
      'users.username as creator',
      'surveys.created_at',
      // Never serialized (not a schema field): IsCreatorOrReadOnly compares it with the user.
      'surveys.creator_id',
    ]),
  scope: publishedOrOwnDrafts,
  // The creator is always the requester: `creator` is read-only, so a posted one is dropped.
  performCreate: (request, data) => ({
    title: data.title,
    description: data.description ?? '',
    status: data.status ?? 'draft',
    creator_id: request.user!.id,
  }),
  performUpdate: (_request, data) => ({
    ...(data.title !== undefined && { title: data.title }),
    ...(data.description !== undefined && { description: data.description }),
    ...(data.status !== undefined && { status: data.status }),
  }),
  ordering: {
    fields: {
      id: 'surveys.id',
      title: 'surveys.title',
      created_at: 'surveys.created_at',
      status: 'surveys.status',
    },
    default: ['surveys.id'],
  },
  search: ['surveys.title', 'surveys.description'],
})

/** Seed 003's routes; the server mounts them under `/survey/api/` with their root view. */
export const surveyRouter = new Router().register('surveys', surveys)
