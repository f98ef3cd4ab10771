import type { FastifyRequest } from 'fastify'
import { urlWithParam } from '../absolute-url.ts'

/** One numbered link of a page list: its number and URL, or null for a gap ("…"). */
export type PageNumberLink = { number: number; href: string; current: boolean } | null

/**
 * Which page numbers a page list shows (DRF's `_get_displayed_page_numbers`): all of them up to
 * 5, else the first, the last, the current one and its neighbours, with null where pages are
 * left out, e.g. `1 … 4 5 6 … 10`.
 */
export function displayedPages(current: number, last: number): (number | null)[] {
  if (last <= 5) return Array.from({ length: last }, (_, i) => i + 1)
  const included = new Set([1, current - 1, current, current + 1, last])
  if (current <= 4) for (const n of [2, 3]) included.add(n)
  if (current >= last - 3) for (const n of [last - 1, last - 2]) included.add(n)
  const shown: (number | null)[] = [...included]
    .filter((n) => n > 0 && n <= last)
    .sort((a, b) => a - b)
  if (current > 4) shown.splice(1, 0, null)
  if (current < last - 3) shown.splice(shown.length - 1, 0, null)
  return shown
}

/** The numbered links of page `current` of `last`, as DRF's page list (page 1 drops `?page=`). */
export function pageNumberLinks(
  request: FastifyRequest,
  current: number,
  last: number,
): PageNumberLink[] {
  return displayedPages(current, last).map((n) =>
    n === null
      ? null
      : {
          number: n,
          href: urlWithParam(request, 'page', n === 1 ? null : String(n)),
          current: n === current,
        },
  )
}
