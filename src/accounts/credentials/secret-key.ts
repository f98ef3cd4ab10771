/** The server's SECRET_KEY, or a clear failure when the server was built without one. */
export function secretKeyOf(app: { secretKey?: string }): string {
  if (!app.secretKey)
    throw new Error(
      'app.secretKey is missing: register the portcullis plugin with its `secretKey` setting',
    )
  return app.secretKey
}
