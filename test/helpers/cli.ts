import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Run `npm run manage -- …` for real (node + tsx), against `databaseUrl`, feeding `input`. */
export async function manage(
  databaseUrl: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  const child = run('node', ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
  })
  if (input !== undefined) child.child.stdin?.end(input)
  try {
    const { stdout, stderr } = await child
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as CliResult
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}
