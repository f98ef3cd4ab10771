import type pg from 'pg'

// Ad-hoc SQL (IN-lists of varying length) must not fill a connection with statements.
const MAX_NAMED_STATEMENTS = 500

// PostgreSQL refuses a prepared `*` whose table gained or lost columns since it was prepared.
function isStalePlan(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { code?: string }).code === '0A000' &&
    /cached plan must not change result type/.test(err.message)
  )
}

/**
 * A pg client class (over the `Client` of the pg module given) that sends each parameterized SQL
 * text as a named statement, so PostgreSQL parses and plans it once per connection instead of on
 * every query (pg's default, unnamed, re-parses).
 */
export function preparingPgClient(Client: typeof pg.Client): typeof pg.Client {
  return class PreparingPgClient extends Client {
    readonly #names = new Map<string, string>()
    #made = 0

    #name(text: string, fresh = false): string | undefined {
      let name = fresh ? undefined : this.#names.get(text)
      if (name === undefined && (fresh || this.#names.size < MAX_NAMED_STATEMENTS)) {
        name = `portcullis_${this.#made++}`
        this.#names.set(text, name)
      }
      return name
    }

    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this forwards them all
    override query(config: any, values?: any, callback?: any): any {
      const named =
        typeof config === 'string' && Array.isArray(values) && values.length > 0
          ? this.#name(config)
          : undefined
      if (named === undefined) return super.query(config, values, callback)
      if (callback !== undefined)
        return super.query({ name: named, text: config, values }, callback)
      return super.query({ name: named, text: config, values }).catch((err: unknown) => {
        if (!isStalePlan(err)) throw err
        // A migration changed the table since this connection prepared the statement: prepare
        // it again under a new name (outside a transaction; inside one, the error stands).
        return super.query({ name: this.#name(config, true), text: config, values })
      })
    }
  }
}
