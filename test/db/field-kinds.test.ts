import { f, resourceSchema } from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GadgetApp, type GadgetUser, gadgetApp } from '../helpers/gadget-app.ts'

// One field of each kind DRF's serializers add to the basics, over real columns of each dialect.
const GadgetSchema = resourceSchema('gadget', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 40 }),
  price: f.decimal({ maxDigits: 6, decimalPlaces: 2, nullable: true, required: false }),
  released: f.date({ nullable: true, required: false }),
  opens: f.time({ nullable: true, required: false }),
  homepage: f.url({ maxLength: 200, nullable: true, required: false }),
  extra: f.json({ nullable: true, required: false }),
})

let server: GadgetApp
let ann: GadgetUser

beforeAll(async () => {
  server = await gadgetApp(GadgetSchema)
  ann = await server.user('ann')
})
afterAll(() => server.close())

const post = (json: unknown) =>
  server.request({ method: 'POST', url: '/gadgets/', token: ann.token, json })

describe('decimal, date, time, URL and JSON fields through HTTP', () => {
  it('store and show each value as DRF does', async () => {
    const sent = {
      title: 'lamp',
      price: 12.5,
      released: '2026-11-01',
      opens: '9:30',
      homepage: 'https://example.com/lamp',
      extra: { colours: ['red', 'blue'], watts: 40 },
    }
    const created = await post(sent)
    expect(created.statusCode).toBe(201)
    const shown = {
      ...sent,
      id: created.json().id,
      price: '12.50',
      opens: '09:30:00',
    }
    expect(created.json()).toEqual(shown)
    const read = await server.request({
      method: 'GET',
      url: `/gadgets/${shown.id}/`,
      token: ann.token,
    })
    expect(read.json()).toEqual(shown)
  })

  it.each([['a string'], [[1, 2]], [7], [true]])('keeps the JSON value %j', async (extra) => {
    const created = await post({ title: `json ${JSON.stringify(extra)}`, extra })
    expect(created.statusCode).toBe(201)
    expect(created.json().extra).toEqual(extra)
    const read = await server.request({
      method: 'GET',
      url: `/gadgets/${created.json().id}/`,
      token: ann.token,
    })
    expect(read.json().extra).toEqual(extra)
  })

  it('answers DRF messages, field by field, with a 400', async () => {
    const res = await post({
      title: 'bad',
      price: '12.345',
      released: '2026-02-30',
      opens: '25:00',
      homepage: 'not a url',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      price: ['Ensure that there are no more than 2 decimal places.'],
      released: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
      opens: ['Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].'],
      homepage: ['Enter a valid URL.'],
    })
  })

  it('reads a form: JSON text parsed, a bad one refused', async () => {
    const form = (extra: string) =>
      server.request({
        method: 'POST',
        url: '/gadgets/',
        token: ann.token,
        form: { title: `form ${extra}`, price: '3', extra },
      })
    const good = await form('{"a": 1}')
    expect(good.statusCode).toBe(201)
    expect(good.json()).toMatchObject({ price: '3.00', extra: { a: 1 } })
    const bad = await form('{a: 1}')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ extra: ['Value must be valid JSON.'] })
  })

  it('lists the new kinds in OPTIONS as DRF does', async () => {
    const res = await server.request({ method: 'OPTIONS', url: '/gadgets/', token: ann.token })
    const fields = res.json().actions.POST
    expect(fields.price).toMatchObject({ type: 'decimal', max_digits: 6, decimal_places: 2 })
    expect(fields.released.type).toBe('date')
    expect(fields.opens.type).toBe('time')
    expect(fields.homepage.type).toBe('url')
    expect(fields.extra.type).toBe('field')
  })
})
