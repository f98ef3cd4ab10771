import { describe, expect, it } from 'vitest'
import { displayedPages } from '../../../src/framework/resources/paginators/page-links.ts'

// DRF's page list: every page up to 5, else the ends, the current page and its neighbours.
describe('displayedPages', () => {
  it.each([
    [1, 1, [1]],
    [3, 5, [1, 2, 3, 4, 5]],
    [1, 10, [1, 2, 3, null, 10]],
    [4, 10, [1, 2, 3, 4, 5, null, 10]],
    [5, 10, [1, null, 4, 5, 6, null, 10]],
    [7, 10, [1, null, 6, 7, 8, 9, 10]],
    [10, 10, [1, null, 8, 9, 10]],
    [4, 7, [1, 2, 3, 4, 5, 6, 7]],
  ])('page %i of %i shows %j', (current, last, shown) => {
    expect(displayedPages(current, last)).toEqual(shown)
  })
})
