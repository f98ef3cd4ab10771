export { lendingMigrations } from './migrations/index.ts'

import { lendingRouter } from './routes.ts'

export { lendingRouter }

/** The app's API, to register with a prefix (its root lists its viewsets). */
export const lending = lendingRouter.plugin({ root: true })
