import { buildApp } from './app.js'
import { settingsFromEnv } from './settings.js'

const app = await buildApp(settingsFromEnv())
const port = Number(process.env.PORT ?? 8000)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port })
console.log(`notes: listening on http://127.0.0.1:${port}/api/`)
