import { type TSchema, Type } from '@sinclair/typebox'
import type { Paginator } from './paginator.ts'

/** Every row as a bare list, in one statement (DRF's `pagination_class = None`). */
export const unpaginated: Paginator = {
  query: {},
  refusals: [],
  envelope: (item: TSchema) => Type.Array(item),
  start() {
    return async (list) => {
      const rows = await list.rows({})
      return { body: rows, rows }
    }
  },
}
