import { createRequire } from 'node:module'

// Resolved from this file, so a package installed beside portcullis (a peer) is found.
const require = createRequire(import.meta.url)

/** The optional peer packages, and what needs each. */
export const OPTIONAL_PACKAGES = {
  pg: 'PostgreSQL',
  ioredis: 'Redis',
  sharp: 'Image uploads',
  nodemailer: 'Mail',
  '@scalar/fastify-api-reference': 'The API reference page (/docs)',
} as const

/** An optional peer's name. */
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES

function isMissing(err: unknown, name: string): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    (err as Error).message.includes(`'${name}'`)
  )
}

/** The one-line error for a setting that needs `name` when it is not installed. */
export function missingPackage(name: OptionalPackage): Error {
  return new Error(`${OPTIONAL_PACKAGES[name]} needs the "${name}" package: npm install ${name}`)
}

/**
 * Load an optional peer (a CommonJS package) when a setting first asks for it, so an install
 * without it still loads the rest of Portcullis; a missing one throws `missingPackage`'s line.
 */
export function loadOptional<T>(name: OptionalPackage): T {
  try {
    return require(name) as T
  } catch (err) {
    throw isMissing(err, name) ? missingPackage(name) : err
  }
}

/**
 * Check that an optional peer is installed without loading it (for an ES module loaded later
 * with `import()`); throws `missingPackage`'s line when it is not.
 */
export function requireInstalled(name: OptionalPackage): void {
  try {
    require.resolve(name)
  } catch (err) {
    throw isMissing(err, name) ? missingPackage(name) : err
  }
}
