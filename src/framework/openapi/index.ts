/** OpenAPI 3.1 for every route, and Scalar's API reference page over it. */
export type { OpenApiDocument, OpenApiInfo } from './document.ts'
export { installOpenApi, type OpenApi } from './install.ts'
export { toJsonSchema } from './json-schema.ts'
export {
  DOCS_SCRIPT_URL,
  DOCS_URL,
  OPENAPI_URL,
  type OpenApiRoutesOptions,
  openApiRoutes,
} from './routes.ts'
