export { surveyMigrations } from './migrations/index.ts'
export { surveyRouter } from './routes.ts'
