/**
 * The bench's cursor-paginated list (bench/cursor-app.mjs) on the bench database, as
 * serve-portcullis.mjs serves the reference server: the built JS on plain node, or the sources
 * under tsx. SECRET_KEY comes from the environment the parent gives.
 */
import { openDatabase } from 'portcullis'
import { serve, serverEnv } from './child-server.mjs'
import { createCursorApp } from './cursor-app.mjs'

const { database } = serverEnv()
const secretKey = process.env.SECRET_KEY
if (!secretKey) throw new Error('SECRET_KEY is not set (the parent gives every server one)')
await serve(() => createCursorApp(openDatabase(database), secretKey))
