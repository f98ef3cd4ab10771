import { f, resourceSchema } from 'portcullis'

/** A survey's two states: only its creator sees a draft. */
export const SURVEY_STATUSES = ['draft', 'published'] as const

/** A survey as seed 003 shows it; the creator is the requester, named by username, read-only. */
export const SurveySchema = resourceSchema('survey', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 200 }),
  // Optional without a serializer default, as DRF builds them from model defaults: a PUT that
  // leaves one out keeps the stored value; a create fills the model's default (routes.ts).
  description: f.string({ allowBlank: true, required: false }),
  status: f.choice(SURVEY_STATUSES, {
    required: false,
    names: { draft: 'Draft', published: 'Published' },
  }),
  creator: f.string({ readOnly: true, description: "The creator's username." }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})
