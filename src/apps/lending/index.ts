export { lendingMigrations } from './migrations/index.ts'
export { lendingRouter } from './routes.ts'
