import pg from 'pg'

// Ad-hoc SQL (IN-lists of varying length) must not fill a connection with statements.
const MAX_NAMED_STATEMENTS = 500

/**
 * A pg client that sends each parameterized SQL text as a named statement, so PostgreSQL parses
 * and plans it once per connection instead of on every query (pg's default, unnamed, re-parses).
 */
export class PreparingPgClient extends pg.Client {
  readonly #names = new Map<string, string>()

  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this forwards them all
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      let name = this.#names.get(config)
      if (name === undefined && this.#names.size < MAX_NAMED_STATEMENTS) {
        name = `portcullis_${this.#names.size}`
        this.#names.set(config, name)
      }
      if (name !== undefined) return super.query({ name, text: config, values }, callback)
    }
    return super.query(config, values, callback)
  }
}
