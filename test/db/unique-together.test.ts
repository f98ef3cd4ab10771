import { f, resourceSchema } from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GadgetApp, type GadgetUser, gadgetApp } from '../helpers/gadget-app.ts'

// The table's unique index on (owner_id, title) decides; the schema names it for DRF's message.
const GadgetSchema = resourceSchema(
  'gadget',
  { id: f.integer({ readOnly: true }), title: f.string({ maxLength: 40 }) },
  { uniqueTogether: [['owner_id', 'title']] },
)

const DUPLICATE = { non_field_errors: ['The fields owner, title must make a unique set.'] }

let server: GadgetApp
let ann: GadgetUser
let bob: GadgetUser

beforeAll(async () => {
  server = await gadgetApp(GadgetSchema)
  ann = await server.user('ann')
  bob = await server.user('bob')
})
afterAll(() => server.close())

const create = (user: GadgetUser, title: string) =>
  server.request({ method: 'POST', url: '/gadgets/', token: user.token, json: { title } })

describe('uniqueTogether', () => {
  it('refuses a second row with the same set, in non_field_errors', async () => {
    expect((await create(ann, 'lamp')).statusCode).toBe(201)
    const again = await create(ann, 'lamp')
    expect(again.statusCode).toBe(400)
    expect(again.json()).toEqual(DUPLICATE)
  })

  it('takes the same title from another owner', async () => {
    expect((await create(bob, 'lamp')).statusCode).toBe(201)
  })

  it('refuses an update onto an existing set', async () => {
    const desk = await create(ann, 'desk')
    const res = await server.request({
      method: 'PATCH',
      url: `/gadgets/${desk.json().id}/`,
      token: ann.token,
      json: { title: 'lamp' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual(DUPLICATE)
  })

  it('answers racing duplicates with one 201 and 400s, never a 500', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(ann, 'chair')))
    const codes = answers.map((r) => r.statusCode).sort()
    expect(codes).toEqual([201, 400, 400, 400, 400])
    for (const r of answers.filter((a) => a.statusCode === 400)) expect(r.json()).toEqual(DUPLICATE)
  })

  it('stops the start for a set of fewer than two columns', () => {
    expect(() =>
      resourceSchema('gadget', { title: f.string() }, { uniqueTogether: [['title']] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_UNIQUE_TOGETHER' }))
  })
})
