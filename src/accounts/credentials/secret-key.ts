declare module 'fastify' {
  interface FastifyInstance {
    /** The server's SECRET_KEY: the key behind one-time tokens (activation, password reset). */
    secretKey: string
  }
}

/** The server's SECRET_KEY, or a clear failure when the server was built without one. */
export function secretKeyOf(app: { secretKey?: string }): string {
  if (!app.secretKey)
    throw new Error(
      "app.secretKey is missing: decorate the server with app.decorate('secretKey', secret)",
    )
  return app.secretKey
}
