export { bucketlistMigrations } from './migrations/index.ts'
export { bucketlistRouter } from './routes.ts'
