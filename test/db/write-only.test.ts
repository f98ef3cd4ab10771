import { f, resourceSchema, type SetupError } from 'portcullis'
import { afterEach, describe, expect, it } from 'vitest'
import { type GadgetApp, gadgetApp } from '../helpers/gadget-app.ts'

const GadgetSchema = resourceSchema('gadget', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 40 }),
  secret: f.string({ writeOnly: true, maxLength: 40 }),
})

describe('writeOnly', () => {
  let server: GadgetApp | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })
  const start = async () => {
    server = await gadgetApp(GadgetSchema)
    return server
  }

  it('takes the value in input, stores it, and never shows it', async () => {
    const server = await start()
    const ann = await server.user('ann')
    const created = await server.request({
      method: 'POST',
      url: '/gadgets/',
      token: ann.token,
      json: { title: 'lamp', secret: 'hidden' },
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toEqual({ id: 1, title: 'lamp' })
    const stored = await server.db.selectFrom('gadgets').select('secret').executeTakeFirst()
    expect(stored?.secret).toBe('hidden')

    const read = await server.request({ method: 'GET', url: '/gadgets/1/', token: ann.token })
    expect(read.json()).toEqual({ id: 1, title: 'lamp' })
    const list = await server.request({ method: 'GET', url: '/gadgets/', token: ann.token })
    expect(list.json().results).toEqual([{ id: 1, title: 'lamp' }])
  })

  it('is required like any field, with DRF message', async () => {
    const server = await start()
    const ann = await server.user('ann')
    const res = await server.request({
      method: 'POST',
      url: '/gadgets/',
      token: ann.token,
      json: { title: 'lamp' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ secret: ['This field is required.'] })
  })

  it('is writeOnly in the input schema and absent from the output schema', () => {
    expect(GadgetSchema.input.properties.secret).toMatchObject({ writeOnly: true })
    expect(GadgetSchema.output.properties).not.toHaveProperty('secret')
  })

  it('is absent from the OpenAPI response and writeOnly in its request body', async () => {
    const server = await start()
    const res = await server.request({ method: 'GET', url: '/openapi.json' })
    const text = res.body
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    const post = doc.paths['/gadgets/'].post
    const body = JSON.stringify(post.requestBody)
    expect(body).toContain('"writeOnly":true')
    expect(JSON.stringify(post.responses['201'])).not.toContain('secret')
    expect(text).toContain('secret')
  })

  it('cannot be readOnly as well: refused at start', () => {
    expect(() =>
      resourceSchema('gadget', { secret: f.string({ readOnly: true, writeOnly: true }) }),
    ).toThrow(expect.objectContaining({ code: 'ERR_FIELD_READ_WRITE_ONLY' }) as SetupError)
  })
})
