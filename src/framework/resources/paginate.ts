import type { FastifyRequest } from 'fastify'
import { literalLimit } from '../db/literal-limit.ts'
import { countOf } from './list-plan.ts'
import { pageAt, pageEnvelope, pageRequest } from './pagination.ts'
import type { RowQuery } from './viewset.ts'

/**
 * One page of `query` for this request (`?page=`, `?page_size=`) in the `{count, next, previous,
 * results}` envelope: a count and a page, two statements whatever the table's size. `query` must
 * already be ordered, so pages never overlap.
 */
export async function paginate<Row>(request: FastifyRequest, query: RowQuery<Row>) {
  const requested = pageRequest(request)
  const count = Number((await countOf(query).executeTakeFirstOrThrow()).count)
  const page = pageAt(requested, count)
  const rows = (await query.limit(literalLimit(page.size)).offset(page.offset).execute()) as Row[]
  return pageEnvelope(request, page, count, rows)
}
