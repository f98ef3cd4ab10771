import { describe, expect, it } from 'vitest'
import {
  AllowAny,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  IsOwner,
  IsOwnerOrReadOnly,
  isOwner,
  objectAllows,
  viewAllows,
} from '../../../src/framework/index.ts'
import { detailView, requestAs, someUser } from './fake-request.ts'

const alice = someUser('alice')
const admin = someUser('root', { is_staff: true })
const aliceThing = { id: 1, owner_id: 'alice' }

describe('built-in permissions', () => {
  it('AllowAny lets everyone in', async () => {
    expect(await viewAllows(AllowAny, requestAs(null, 'DELETE'), detailView)).toBe(true)
  })

  it('IsAuthenticated needs a user', async () => {
    expect(await viewAllows(IsAuthenticated, requestAs(null), detailView)).toBe(false)
    expect(await viewAllows(IsAuthenticated, requestAs(alice), detailView)).toBe(true)
  })

  it('IsAdminUser needs is_staff', async () => {
    expect(await viewAllows(IsAdminUser, requestAs(alice), detailView)).toBe(false)
    expect(await viewAllows(IsAdminUser, requestAs(admin), detailView)).toBe(true)
    expect(await viewAllows(IsAdminUser, requestAs(null), detailView)).toBe(false)
  })

  it('IsAuthenticatedOrReadOnly lets anyone read and only users write', async () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(await viewAllows(IsAuthenticatedOrReadOnly, requestAs(null, method), detailView)).toBe(
        true,
      )
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(await viewAllows(IsAuthenticatedOrReadOnly, requestAs(null, method), detailView)).toBe(
        false,
      )
      expect(
        await viewAllows(IsAuthenticatedOrReadOnly, requestAs(alice, method), detailView),
      ).toBe(true)
    }
  })

  it('IsOwner allows only the owner, at object level', async () => {
    expect(await viewAllows(IsOwner, requestAs(null), detailView)).toBe(true)
    expect(await objectAllows(IsOwner, requestAs(alice), detailView, aliceThing)).toBe(true)
    expect(await objectAllows(IsOwner, requestAs(admin), detailView, aliceThing)).toBe(false)
    expect(await objectAllows(IsOwner, requestAs(null), detailView, aliceThing)).toBe(false)
  })

  it("IsOwner reads the view's owner field, or its own", async () => {
    const view = { ...detailView, ownerField: 'creator_id' }
    const row = { id: 1, creator_id: 'alice', owner_id: 'root' }
    expect(await objectAllows(IsOwner, requestAs(alice), view, row)).toBe(true)
    const custom = isOwner({ field: 'owner_id', message: 'Not an owner.' })
    expect(custom.message).toBe('Not an owner.')
    expect(await objectAllows(custom, requestAs(alice), view, row)).toBe(false)
  })

  it('IsOwnerOrReadOnly lets others read and only the owner write', async () => {
    expect(
      await objectAllows(IsOwnerOrReadOnly, requestAs(admin, 'GET'), detailView, aliceThing),
    ).toBe(true)
    expect(
      await objectAllows(IsOwnerOrReadOnly, requestAs(null, 'GET'), detailView, aliceThing),
    ).toBe(true)
    expect(
      await objectAllows(IsOwnerOrReadOnly, requestAs(admin, 'PATCH'), detailView, aliceThing),
    ).toBe(false)
    expect(
      await objectAllows(IsOwnerOrReadOnly, requestAs(null, 'DELETE'), detailView, aliceThing),
    ).toBe(false)
    expect(
      await objectAllows(IsOwnerOrReadOnly, requestAs(alice, 'DELETE'), detailView, aliceThing),
    ).toBe(true)
  })
})
