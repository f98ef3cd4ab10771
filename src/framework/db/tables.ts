/**
 * The tables of this server, by name. Each app adds its own by declaration merging, so every
 * query is typed from the schema without the framework knowing any app:
 * `declare module 'portcullis' { interface Tables { bucketlists: BucketlistsTable } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the apps through declaration merging
export interface Tables {}
