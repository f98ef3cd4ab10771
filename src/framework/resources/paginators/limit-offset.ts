import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { SetupError } from '../../setup-errors.ts'
import { urlWithParams } from '../absolute-url.ts'
import { pageSchema, positiveInt } from '../pagination.ts'
import { queryParam } from '../query-param.ts'
import { validSize } from './page-number.ts'
import type { Pagination, Paginator } from './paginator.ts'

/** Limit/offset settings (DRF's LimitOffsetPagination). */
export interface LimitOffsetOptions {
  /** Rows a page holds when the client names no `?limit=`; 20 by default. */
  defaultLimit?: number
  /** The most rows a `?limit=` may ask for; 100 by default (DRF's max_limit). */
  maxLimit?: number
}

// What DRF's `_positive_int` (not strict) reads for an offset: 0 and up.
const OFFSET = /^\s*\+?\d+(?:_\d+)*\s*$/

function offsetOf(request: FastifyRequest): number {
  const raw = queryParam(request, 'offset')
  if (raw === undefined || !OFFSET.test(raw)) return 0
  return Number(raw.trim().replaceAll('_', ''))
}

/**
 * `?limit=&offset=` (DRF's LimitOffsetPagination): `{count, next, previous, results}`. A malformed
 * limit is the default one and a malformed offset 0, as DRF reads them; an offset past the end
 * is an empty page, never an error.
 */
export function limitOffsetPagination(options: LimitOffsetOptions = {}): Pagination {
  const { defaultLimit = 20, maxLimit = 100 } = options
  return {
    bind(view): Paginator {
      if (!validSize(defaultLimit) || !validSize(maxLimit) || maxLimit < defaultLimit) {
        throw new SetupError(
          'ERR_PAGINATION_SIZE',
          view.basename,
          `defaultLimit ${defaultLimit}, maxLimit ${maxLimit}`,
        )
      }
      return {
        query: {
          limit: Type.Optional(
            Type.Integer({ minimum: 1, description: `Results to return (at most ${maxLimit}).` }),
          ),
          offset: Type.Optional(
            Type.Integer({ minimum: 0, description: 'The index of the first result.' }),
          ),
        },
        refusals: [],
        envelope: (item: TSchema) => pageSchema(item),
        start(request) {
          const asked = positiveInt(queryParam(request, 'limit'))
          const limit = asked === null ? defaultLimit : Math.min(asked, maxLimit)
          const offset = offsetOf(request)
          return async (list) => {
            const count = await list.count()
            const rows = count === 0 || offset >= count ? [] : await list.rows({ limit, offset })
            const l = String(limit)
            const next =
              offset + limit < count
                ? urlWithParams(request, { limit: l, offset: String(offset + limit) })
                : null
            const previous =
              offset <= 0
                ? null
                : urlWithParams(request, {
                    limit: l,
                    offset: offset - limit <= 0 ? null : String(offset - limit),
                  })
            return { body: { count, next, previous, results: rows }, rows }
          }
        },
      }
    },
  }
}
