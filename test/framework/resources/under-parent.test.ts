import { describe, expect, it } from 'vitest'
import { scopeParts } from '../../../src/framework/resources/list-plan.ts'
import { underParent } from '../../../src/framework/resources/nesting.ts'

describe('underParent: a child scope narrowed to the URL parent', () => {
  it('adds the parent to no scope, one scope, and each alternative', () => {
    expect(underParent(null, 'q.guild_id', 7)).toEqual({ 'q.guild_id': 7 })
    expect(underParent({ 'q.owner_id': 'u' }, 'q.guild_id', 7)).toEqual({
      'q.owner_id': 'u',
      'q.guild_id': 7,
    })
    expect(underParent([{ 'q.owner_id': 'u' }, { 'q.open': true }], 'q.guild_id', 7)).toEqual([
      { 'q.owner_id': 'u', 'q.guild_id': 7 },
      { 'q.open': true, 'q.guild_id': 7 },
    ])
  })

  it('never widens a scope that asks another parent: that alternative matches nothing', () => {
    const narrowed = underParent([{ 'q.guild_id': 3 }, { 'q.open': true }], 'q.guild_id', 7)
    expect(scopeParts(narrowed, 'quest')).toEqual({
      shape: [['q.open', 'q.guild_id']],
      values: [true, 7],
    })
    expect(scopeParts(underParent({ 'q.guild_id': 3 }, 'q.guild_id', 7), 'quest')).toEqual({
      shape: [],
      values: [],
    })
  })
})
