export { statusMigrations } from './migrations/index.ts'
export { statuses } from './routes.ts'
