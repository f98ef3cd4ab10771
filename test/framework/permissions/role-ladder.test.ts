import { describe, expect, it } from 'vitest'
import { roleLadder } from '../../../src/framework/index.ts'

const ladder = roleLadder(['viewer', 'editor', 'admin', 'owner'])

describe('roleLadder: each role includes the ones before it', () => {
  it('compares roles by rank, no role below every role', () => {
    expect(ladder.atLeast('admin', 'editor')).toBe(true)
    expect(ladder.atLeast('editor', 'editor')).toBe(true)
    expect(ladder.atLeast('viewer', 'editor')).toBe(false)
    expect(ladder.atLeast(null, 'viewer')).toBe(false)
  })

  it('picks the higher of two roles, either maybe absent', () => {
    expect(ladder.higher('viewer', 'admin')).toBe('admin')
    expect(ladder.higher('owner', 'editor')).toBe('owner')
    expect(ladder.higher(null, 'editor')).toBe('editor')
    expect(ladder.higher('viewer', null)).toBe('viewer')
    expect(ladder.higher(null, null)).toBe(null)
  })

  it('recognises only its own role names', () => {
    expect(ladder.isRole('admin')).toBe(true)
    expect(ladder.isRole('boss')).toBe(false)
    expect(ladder.isRole('toString')).toBe(false)
    expect(ladder.isRole(3)).toBe(false)
  })
})
