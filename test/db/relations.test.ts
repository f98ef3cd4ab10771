import { randomUUID } from 'node:crypto'
import { type Database, openDatabase } from 'portcullis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BookshelfApp,
  bookshelfApp,
  meanwhile,
  type ShelfUser,
} from '../helpers/bookshelf-app.ts'

// Relations through HTTP: foreign keys by integer and UUID, many-to-many, a nested object.
let t: BookshelfApp
let ann: ShelfUser
let bob: ShelfUser
let cy: ShelfUser
let gone: ShelfUser
let mine: number[]
let theirs: number

const DOES_NOT_EXIST = (pk: unknown) => `Invalid pk "${pk}" - object does not exist.`

beforeAll(async () => {
  t = await bookshelfApp()
  ann = await t.user('ann')
  bob = await t.user('bob')
  cy = await t.user('cy')
  gone = await t.user('gone', { is_active: false })
  mine = [await t.label(ann, 'fiction'), await t.label(ann, 'loved'), await t.label(ann, 'old')]
  theirs = await t.label(bob, 'bob-only')
})
afterAll(() => t?.close())

async function created(json: Record<string, unknown>, as = ann) {
  const res = await t.send('POST', '/books/', as, json)
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('relations', () => {
  it('writes keys, many-to-many and shows the owner nested', async () => {
    const book = await created({
      title: 'Dune',
      label_id: mine[0],
      editor_id: bob.id.toUpperCase(),
      labels: [mine[2], String(mine[0])],
      readers: [bob.id, cy.id],
    })
    expect(book).toEqual({
      id: book.id,
      title: 'Dune',
      label_id: mine[0],
      editor_id: bob.id,
      labels: [mine[0], mine[2]],
      readers: [bob.id, cy.id].sort(),
      owner: { id: ann.id, username: 'ann' },
    })
    const again = await t.send('GET', `/books/${book.id}/`, ann)
    expect(again.json()).toEqual(book)
    const pairs = await t.db
      .selectFrom('book_labels')
      .select('label_id')
      .where('book_id', '=', book.id)
      .orderBy('label_id')
      .execute()
    expect(pairs.map((p) => p.label_id)).toEqual([mine[0], mine[2]])
  })

  it('answers a key the requester may not see exactly as a missing one, and writes nothing', async () => {
    const before = await t.db.selectFrom('books').select('id').execute()
    const missing = theirs + 1000
    for (const [body, field, pk] of [
      [{ label_id: theirs }, 'label_id', theirs],
      [{ label_id: missing }, 'label_id', missing],
      [{ labels: [mine[0], theirs] }, 'labels', theirs],
      [{ labels: [missing, mine[0]] }, 'labels', missing],
      [{ readers: [bob.id, gone.id] }, 'readers', gone.id],
      [{ editor_id: gone.id }, 'editor_id', gone.id],
    ] as const) {
      const res = await t.send('POST', '/books/', ann, { title: 'x', ...body })
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json()).toEqual({ [field]: [DOES_NOT_EXIST(pk)] })
    }
    expect(await t.db.selectFrom('books').select('id').execute()).toEqual(before)
  })

  it("refuses what is no key with DRF's messages", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ label_id: 'abc' }, 'Incorrect type. Expected pk value, received str.'],
      [{ label_id: true }, 'Incorrect type. Expected pk value, received bool.'],
      [{ label_id: 1.5 }, 'Incorrect type. Expected pk value, received float.'],
      [{ labels: String(mine[0]) }, 'Expected a list of items but got type "str".'],
      [{ labels: { id: mine[0] } }, 'Expected a list of items but got type "dict".'],
      [{ labels: [mine[0], 'x'] }, 'Incorrect type. Expected pk value, received str.'],
      [{ labels: [null] }, DOES_NOT_EXIST('None')],
      [{ readers: ['nope'] }, '“nope” is not a valid UUID.'],
      [{ editor_id: 1.5 }, '“1.5” is not a valid UUID.'],
      [{ editor_id: -1 }, '“-1” is not a valid UUID.'],
      [{ readers: [[bob.id]] }, 'Incorrect type. Expected pk value, received list.'],
      [{ editor_id: false }, 'Incorrect type. Expected pk value, received bool.'],
    ]
    for (const [body, message] of cases) {
      const res = await t.send('POST', '/books/', ann, { title: 'x', ...body })
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json(), JSON.stringify(body)).toEqual({ [Object.keys(body)[0]]: [message] })
    }
  })

  it('answers keys no row can have as missing, never a database error', async () => {
    for (const pk of [0, -1, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const one = await t.send('POST', '/books/', ann, { title: 'x', label_id: pk })
      expect(one.json(), String(pk)).toEqual({ label_id: [DOES_NOT_EXIST(pk)] })
      const many = await t.send('POST', '/books/', ann, { title: 'x', labels: [pk] })
      expect(many.json(), String(pk)).toEqual({ labels: [DOES_NOT_EXIST(pk)] })
    }
    // A whole number names the UUID of that value (Django's uuid.UUID(int=)); DRF quotes it as sent.
    const uuid = await t.send('POST', '/books/', ann, { title: 'x', readers: [7, bob.id] })
    expect(uuid.json()).toEqual({ readers: [DOES_NOT_EXIST(7)] })
    const upper = randomUUID().toUpperCase()
    const quoted = await t.send('POST', '/books/', ann, { title: 'x', editor_id: upper })
    expect(quoted.json()).toEqual({ editor_id: [DOES_NOT_EXIST(upper)] })
  })

  it('collapses duplicates, replaces the set on PATCH and PUT when sent, keeps it when not', async () => {
    const book = await created({ title: 'Emma', labels: [mine[1], mine[1], mine[0]] })
    expect(book.labels).toEqual([mine[0], mine[1]])
    const url = `/books/${book.id}/`
    const renamed = await t.send('PATCH', url, ann, { title: 'Emma 2' })
    expect(renamed.json().labels).toEqual([mine[0], mine[1]])
    const relabelled = await t.send('PATCH', url, ann, { labels: [mine[2]], readers: [cy.id] })
    expect(relabelled.json()).toMatchObject({ labels: [mine[2]], readers: [cy.id] })
    const put = await t.send('PUT', url, ann, { title: 'Emma 3', labels: [] })
    expect(put.json()).toMatchObject({ title: 'Emma 3', labels: [], readers: [cy.id] })
    const readers = await t.db.selectFrom('book_readers').selectAll().execute()
    expect(readers.filter((r) => r.book_id === book.id)).toEqual([
      { book_id: book.id, user_id: cy.id },
    ])
  })

  it('reads a page of relations in the same number of queries for one book as for many', async () => {
    const lister = await t.user('lister')
    const own = await t.label(lister, 'mine')
    const count = async () => {
      t.resetQueries()
      const res = await t.send('GET', '/books/', lister)
      expect(res.statusCode).toBe(200)
      return { queries: t.queries(), results: res.json().results }
    }
    await created({ title: 'one', labels: [own], readers: [ann.id] }, lister)
    const one = await count()
    for (const title of ['two', 'three', 'four', 'five']) {
      await created({ title, labels: [own], readers: [bob.id, cy.id] }, lister)
    }
    const five = await count()
    expect(five.results).toHaveLength(5)
    expect(five.results[4]).toMatchObject({
      title: 'five',
      labels: [own],
      readers: [bob.id, cy.id].sort(),
      owner: { id: lister.id, username: 'lister' },
    })
    expect(five.queries).toBe(one.queries)
  })

  it('documents keys and lists of keys as integers and UUIDs in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const body = JSON.stringify(doc)
    const post = doc.paths['/books/'].post
    const schema = post.requestBody.content['application/json'].schema
    const input = schema.$ref
      ? doc.components.schemas[schema.$ref.split('/').pop()].properties
      : schema.properties
    expect(input.labels).toMatchObject({ type: 'array', items: { type: 'integer' } })
    expect(input.readers).toMatchObject({
      type: 'array',
      items: { type: 'string', format: 'uuid' },
    })
    expect(input.editor_id).toMatchObject({ format: 'uuid' })
    expect(input.owner).toBeUndefined()
    expect(body).toContain('"username"')
  })
})

describe('relations in the browsable API and OPTIONS', () => {
  it('renders the list page with its form, and describes each relation', async () => {
    const page = await t.app.inject({
      method: 'GET',
      url: '/books/',
      headers: { authorization: `Token ${ann.token}`, accept: 'text/html' },
    })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const options = await t.send('OPTIONS', '/books/', ann)
    const post = options.json().actions.POST
    expect(post.labels).toMatchObject({ type: 'field', required: false, read_only: false })
    expect(post.owner).toMatchObject({ type: 'nested object', read_only: true })
  })
})

// Deletes a related row through a connection of its own, as another request would, between
// validation and the write: the database refuses the pair, and the answer is validation's 400.
describe('a related row deleted after validation', () => {
  let other: Database
  beforeAll(() => {
    other = openDatabase(t.url, { poolSize: 1 })
  })
  afterAll(async () => {
    meanwhile.beforeSave = undefined
    await other?.destroy()
  })

  it('answers 400 on create and on update, never a 500', async () => {
    const doomed = await t.user('doomed')
    meanwhile.beforeSave = async () => {
      await other.deleteFrom('users').where('id', '=', doomed.id).execute()
    }
    const res = await t.send('POST', '/books/', ann, { title: 'x', readers: [doomed.id] })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ readers: [DOES_NOT_EXIST(doomed.id)] })

    meanwhile.beforeSave = undefined
    const book = await created({ title: 'kept' })
    const label = await t.label(ann, 'doomed')
    meanwhile.beforeSave = async () => {
      await other.deleteFrom('labels').where('id', '=', label).execute()
    }
    const patch = await t.send('PATCH', `/books/${book.id}/`, ann, { labels: [label] })
    expect(patch.statusCode).toBe(400)
    expect(patch.json()).toEqual({ labels: [DOES_NOT_EXIST(label)] })
    meanwhile.beforeSave = undefined
    expect((await t.send('GET', `/books/${book.id}/`, ann)).json().labels).toEqual([])
  })
})

describe('a scope across a many-to-many field', () => {
  it("lists the books one owns or reads, each once, and hides the others' as missing", async () => {
    const both = await created({ title: 'Read by two', readers: [bob.id, cy.id] })
    const alone = await created({ title: 'Read by none' })
    const titles = async (as: ShelfUser) => {
      const res = await t.send('GET', '/shared/', as)
      expect(res.statusCode).toBe(200)
      return (res.json().results as { title: string }[]).map((b) => b.title)
    }
    const bobs = await titles(bob)
    expect(bobs.filter((title) => title === 'Read by two')).toHaveLength(1)
    expect(bobs).not.toContain('Read by none')
    expect(await titles(cy)).toContain('Read by two')
    expect((await t.send('GET', `/shared/${both.id}/`, cy)).statusCode).toBe(200)
    expect((await t.send('GET', `/shared/${alone.id}/`, cy)).statusCode).toBe(404)
    expect(await titles(ann)).toEqual(expect.arrayContaining(['Read by two', 'Read by none']))
    const counted = (await t.send('GET', '/shared/', bob)).json().count
    expect(counted).toBe(bobs.length)
  })
})
