import { f, resourceSchema, ValidationError } from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GadgetApp, type GadgetUser, gadgetApp } from '../helpers/gadget-app.ts'

const seen: { partial: boolean; instance: unknown }[] = []

// DRF's Serializer.validate: a rule across fields, seeing the object a PATCH changes.
const GadgetSchema = resourceSchema(
  'gadget',
  {
    id: f.integer({ readOnly: true }),
    title: f.string({ maxLength: 40 }),
    price: f.decimal({ maxDigits: 6, decimalPlaces: 2, nullable: true, required: false }),
    released: f.date({ nullable: true, required: false }),
  },
  {
    validate(data, { partial, instance, request }) {
      seen.push({ partial, instance })
      if (!request.user) throw new Error('validate runs with the request')
      if (data.title === 'forbidden') throw new ValidationError('This title is reserved.')
      const released = data.released !== undefined ? data.released : instance?.released
      if (data.price && !released) {
        throw new ValidationError({ released: ['A priced gadget needs a release date.'] })
      }
      return data.title ? { ...data, title: data.title.toLowerCase() } : data
    },
  },
)

let server: GadgetApp
let ann: GadgetUser

beforeAll(async () => {
  server = await gadgetApp(GadgetSchema)
  ann = await server.user('ann')
})
afterAll(() => server.close())

const send = (method: 'POST' | 'PATCH', url: string, json: unknown) =>
  server.request({ method, url, token: ann.token, json })

describe('object-level validate()', () => {
  it('answers a message about the whole object in non_field_errors', async () => {
    const res = await send('POST', '/gadgets/', { title: 'forbidden' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ non_field_errors: ['This title is reserved.'] })
  })

  it('answers field-keyed errors as thrown', async () => {
    const res = await send('POST', '/gadgets/', { title: 'lamp', price: '5' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ released: ['A priced gadget needs a release date.'] })
  })

  it('runs only once every field is valid', async () => {
    seen.length = 0
    const res = await send('POST', '/gadgets/', { title: 'forbidden', price: 'x' })
    expect(res.json()).toEqual({ price: ['A valid number is required.'] })
    expect(seen).toEqual([])
  })

  it('saves the data it returns', async () => {
    const res = await send('POST', '/gadgets/', { title: 'LAMP', released: '2026-11-01' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ title: 'lamp' })
  })

  it('sees the object a PATCH changes, and only the fields sent', async () => {
    const created = await send('POST', '/gadgets/', { title: 'desk', released: '2026-10-01' })
    const id = created.json().id
    seen.length = 0
    const res = await send('PATCH', `/gadgets/${id}/`, { price: '99.9' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ title: 'desk', price: '99.90' })
    expect(seen).toEqual([{ partial: true, instance: expect.objectContaining({ id }) }])
  })
})
