import type { TSchema } from '@sinclair/typebox'

/** A JSON Schema (2020-12) as plain data. */
export type JsonSchema = Record<string, unknown>

/**
 * A TypeBox schema as plain JSON Schema 2020-12, the dialect of OpenAPI 3.1: the JSON round trip
 * drops TypeBox's symbol keys (its kinds and `Optional` markers), which are not JSON Schema.
 */
export function toJsonSchema(schema: TSchema | JsonSchema): JsonSchema {
  return repaired(JSON.parse(JSON.stringify(schema))) as JsonSchema
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// A nullable field over a schema without one `type` (a choice is a union of literals) carries
// `type: [undefined, "null"]`, which JSON writes as [null, "null"]: say it with anyOf instead.
function repaired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repaired)
  if (!isObject(node)) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) out[key] = repaired(value)
  if (Array.isArray(out.type) && out.type.some((t) => typeof t !== 'string')) {
    const types = out.type.filter((t): t is string => typeof t === 'string')
    delete out.type
    if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, ...types.map((type) => ({ type }))]
    else if (types.length > 0) out.type = types.length === 1 ? types[0] : types
  }
  return out
}
