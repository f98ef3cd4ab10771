/**
 * The Redis commands Portcullis sends, as a structural type an ioredis `Redis` satisfies: public
 * signatures take this rather than ioredis's own type, so a project without the optional
 * "ioredis" package still compiles against Portcullis's declarations.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>
  smembers(key: string): Promise<string[]>
  srem(key: string, ...members: string[]): Promise<number>
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
  ping(): Promise<string>
  multi(): RedisTransaction
}

/** A MULTI … EXEC block: commands queued, then sent together. */
export interface RedisTransaction {
  set(key: string, value: string, expiry: 'PX', milliseconds: number): RedisTransaction
  sadd(key: string, ...members: string[]): RedisTransaction
  srem(key: string, ...members: string[]): RedisTransaction
  del(...keys: string[]): RedisTransaction
  pexpire(key: string, milliseconds: number): RedisTransaction
  exec(): Promise<unknown>
}

/** A Redis client the server was given: commands, and the events it logs outages from. */
export interface RedisClient extends RedisCommands {
  on(event: 'error', listener: (err: Error) => void): unknown
  on(event: 'close' | 'ready', listener: () => void): unknown
  readonly status: string
}
