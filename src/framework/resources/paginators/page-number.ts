import type { TSchema } from '@sinclair/typebox'
import { SetupError } from '../../setup-errors.ts'
import {
  DEFAULT_PAGINATION,
  lastPage,
  type PaginationOptions,
  pageAt,
  pageEnvelope,
  pageQuery,
  pageRequest,
  pageSchema,
} from '../pagination.ts'
import { pageNumberLinks } from './page-links.ts'
import type { Pagination, Paginator } from './paginator.ts'

/**
 * Numbered pages (DRF's PageNumberPagination): `?page=` (a number or `last`), and the client's
 * `?page_size=` up to `maxPageSize`; `{count, next, previous, results}`. Every list's default,
 * with 20 a page and `?page_size=` up to 100.
 */
export function pageNumberPagination(options: Partial<PaginationOptions> = {}): Pagination {
  const settings: PaginationOptions = { ...DEFAULT_PAGINATION, ...options }
  return {
    bind(view): Paginator {
      const { pageSize, maxPageSize } = settings
      if (!validSize(pageSize) || !validSize(maxPageSize) || maxPageSize < pageSize) {
        throw new SetupError(
          'ERR_PAGINATION_SIZE',
          view.basename,
          `pageSize ${pageSize}, maxPageSize ${maxPageSize}`,
        )
      }
      return {
        query: pageQuery(settings),
        refusals: [404],
        envelope: (item: TSchema) => pageSchema(item),
        start(request) {
          const requested = pageRequest(request, settings)
          return async (list) => {
            const count = await list.count()
            const page = pageAt(requested, count)
            const rows = await list.rows({ limit: page.size, offset: page.offset })
            // Only the browsable page shows numbered links: JSON answers never build them.
            if (request.format === 'html') {
              request.pageNumberLinks = pageNumberLinks(
                request,
                page.page,
                lastPage(count, page.size),
              )
            }
            return { body: pageEnvelope(request, page, count, rows), rows }
          }
        },
      }
    },
  }
}

/** Whether a page size is a whole number of rows a LIMIT can be written with. */
export const validSize = (n: number) => Number.isSafeInteger(n) && n > 0
