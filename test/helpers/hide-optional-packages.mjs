// Preloaded (`node --import`) to run as if none of Portcullis's optional peers were installed:
// both `import` and `require` of them fail as they do for a package that is not there.
import Module, { register } from 'node:module'

const HIDDEN = ['pg', 'ioredis', 'sharp', 'nodemailer', '@scalar/fastify-api-reference']

const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (HIDDEN.includes(request)) {
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' })
  }
  return resolveFilename.call(this, request, ...rest)
}

const hook = `
const HIDDEN = ${JSON.stringify(HIDDEN)}
export async function resolve(specifier, context, next) {
  if (HIDDEN.includes(specifier)) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' })
  }
  return next(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
