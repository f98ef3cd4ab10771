export { rbacMigrations } from './migrations/index.ts'
export { rbacRoutes } from './routes/index.ts'
