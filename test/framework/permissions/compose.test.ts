import { describe, expect, it } from 'vitest'
import {
  AllowAny,
  and,
  deniesAsMissing,
  hideWhenDenied,
  IsAdminUser,
  IsAuthenticated,
  IsOwner,
  not,
  objectAllows,
  or,
  type Permission,
  viewAllows,
} from '../../../src/framework/index.ts'
import { detailView, requestAs, someUser } from './fake-request.ts'

const alice = someUser('alice')
const bob = someUser('bob')
const admin = someUser('root', { is_staff: true })
const aliceThing = { id: 1, owner_id: 'alice' }
const Deny: Permission = { hasPermission: () => false, hasObjectPermission: () => false }

function counting(answer: boolean) {
  const calls = { view: 0, object: 0 }
  const p: Permission = {
    hasPermission() {
      calls.view++
      return answer
    },
    hasObjectPermission() {
      calls.object++
      return answer
    },
  }
  return { p, calls }
}

describe('and', () => {
  it('needs every operand, at view and at object level', async () => {
    const p = and(IsAuthenticated, IsOwner)
    expect(await viewAllows(p, requestAs(null), detailView)).toBe(false)
    expect(await viewAllows(p, requestAs(bob), detailView)).toBe(true)
    expect(await objectAllows(p, requestAs(bob), detailView, aliceThing)).toBe(false)
    expect(await objectAllows(p, requestAs(alice), detailView, aliceThing)).toBe(true)
  })

  it('stops at the first denial', async () => {
    const second = counting(true)
    expect(await viewAllows(and(Deny, second.p), requestAs(alice), detailView)).toBe(false)
    expect(second.calls.view).toBe(0)
  })
})

describe('or', () => {
  it('needs one operand at view level, and stops at the first that allows', async () => {
    const second = counting(true)
    expect(await viewAllows(or(AllowAny, second.p), requestAs(null), detailView)).toBe(true)
    expect(second.calls.view).toBe(0)
    expect(await viewAllows(or(Deny, IsAuthenticated), requestAs(null), detailView)).toBe(false)
  })

  it('at object level counts an operand only if its view-level check passed too (DRF 3.12)', async () => {
    // IsAdminUser has no object check (allows by default); without the fix any non-owner would
    // pass through it although its view-level check never let them in.
    const p = or(IsAdminUser, IsOwner)
    expect(await viewAllows(p, requestAs(bob), detailView)).toBe(true)
    expect(await objectAllows(p, requestAs(bob), detailView, aliceThing)).toBe(false)
    expect(await objectAllows(p, requestAs(null), detailView, aliceThing)).toBe(false)
    expect(await objectAllows(p, requestAs(alice), detailView, aliceThing)).toBe(true)
    expect(await objectAllows(p, requestAs(admin), detailView, aliceThing)).toBe(true)
  })

  it('never lets an anonymous user through an operand meant for users', async () => {
    const p = or(IsAuthenticated, Deny)
    expect(await objectAllows(p, requestAs(null), detailView, aliceThing)).toBe(false)
  })
})

describe('hiding through and / or', () => {
  const Hidden = hideWhenDenied(Deny)
  it('and hides when its first denying operand hides', async () => {
    const req = requestAs(alice)
    expect(await deniesAsMissing(and(IsAuthenticated, Hidden), req, detailView)).toBe(true)
    expect(await deniesAsMissing(and(Deny, Hidden), req, detailView)).toBe(false)
    expect(await deniesAsMissing(and(IsAuthenticated, Hidden), req, detailView, aliceThing)).toBe(
      true,
    )
  })

  it('or hides only when every operand would', async () => {
    const req = requestAs(alice)
    expect(await deniesAsMissing(or(Hidden, Hidden), req, detailView)).toBe(true)
    expect(await deniesAsMissing(or(Hidden, Deny), req, detailView)).toBe(false)
  })
})

describe('not', () => {
  it('inverts the view check and the object check', async () => {
    expect(await viewAllows(not(IsAuthenticated), requestAs(null), detailView)).toBe(true)
    expect(await viewAllows(not(IsAuthenticated), requestAs(alice), detailView)).toBe(false)
    expect(await objectAllows(not(IsOwner), requestAs(bob), detailView, aliceThing)).toBe(true)
    expect(await objectAllows(not(IsOwner), requestAs(alice), detailView, aliceThing)).toBe(false)
  })

  it('composes: and(IsAuthenticated, not(IsAdminUser))', async () => {
    const p = and(IsAuthenticated, not(IsAdminUser))
    expect(await viewAllows(p, requestAs(alice), detailView)).toBe(true)
    expect(await viewAllows(p, requestAs(admin), detailView)).toBe(false)
    expect(await viewAllows(p, requestAs(null), detailView)).toBe(false)
  })
})

describe('broken checks deny', () => {
  const Throws: Permission = {
    hasPermission() {
      throw new Error('boom')
    },
    hasObjectPermission() {
      throw new Error('boom')
    },
  }
  const Rejects: Permission = { hasPermission: () => Promise.reject(new Error('db down')) }
  const Vague = { hasPermission: () => 'yes' } as unknown as Permission
  const Undecided = { hasPermission: () => undefined } as unknown as Permission

  it('denies when a check throws, rejects or answers a non-boolean', async () => {
    for (const p of [Throws, Rejects, Vague, Undecided]) {
      expect(await viewAllows(p, requestAs(admin), detailView)).toBe(false)
    }
    expect(await objectAllows(Throws, requestAs(admin), detailView, aliceThing)).toBe(false)
  })

  it('never turns an error into a grant through not or or', async () => {
    expect(await viewAllows(not(Throws), requestAs(alice), detailView)).toBe(false)
    expect(await objectAllows(not(Throws), requestAs(alice), detailView, aliceThing)).toBe(false)
    expect(await viewAllows(not(Rejects), requestAs(alice), detailView)).toBe(false)
    expect(await viewAllows(or(Throws, Deny), requestAs(alice), detailView)).toBe(false)
    expect(await viewAllows(and(AllowAny, Throws), requestAs(alice), detailView)).toBe(false)
  })

  it('denies a malformed policy', async () => {
    const notAPolicy = null as unknown as Permission
    expect(await viewAllows(notAPolicy, requestAs(admin), detailView)).toBe(false)
    expect(await viewAllows(or(notAPolicy), requestAs(admin), detailView)).toBe(false)
  })
})
