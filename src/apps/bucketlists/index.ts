export { bucketlistMigrations } from './migrations/index.ts'

import { bucketlistRouter } from './routes.ts'

export { bucketlistRouter }

/** The app's API, to register with a prefix. */
export const bucketlists = bucketlistRouter.plugin()
