import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

async function runNode(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
  input?: string,
): Promise<CliResult> {
  const child = run('node', args, options)
  if (input !== undefined) child.child.stdin?.end(input)
  try {
    const { stdout, stderr } = await child
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as CliResult
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** Run `npm run manage -- …` for real (node + tsx), against `databaseUrl`, feeding `input`. */
export function manage(
  databaseUrl: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  return runNode(
    ['--import', 'tsx', 'src/cli.ts', ...args],
    { env: { ...process.env, DATABASE_URL: databaseUrl, ...env } },
    input,
  )
}

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
// tsx by URL, since a user's folder has none to resolve; its tsconfig maps `portcullis` to src/.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

/**
 * Run the `portcullis` bin for real (node + tsx) in `cwd`, a user's project folder, feeding
 * `input`; only `env` and the test's PATH reach it, so nothing of the test's own configuration does.
 */
export function portcullis(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  return runNode(
    ['--import', tsx, repo('src/cli/portcullis.ts'), ...args],
    { cwd, env: { PATH: process.env.PATH, TSX_TSCONFIG_PATH: repo('tsconfig.json'), ...env } },
    input,
  )
}
