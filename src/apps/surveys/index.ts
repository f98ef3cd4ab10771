export { surveyMigrations } from './migrations/index.ts'

import { surveyRouter } from './routes.ts'

export { surveyRouter }

/** The app's API, to register with a prefix (its root lists its viewsets). */
export const surveys = surveyRouter.plugin({ root: true })
