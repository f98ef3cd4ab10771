/**
 * Wait for a dependency to answer at start, at most `ms`: one that does not stops the start with
 * one line naming the setting.
 */
export async function reachable(setting: string, probe: () => Promise<unknown>, ms = 5000) {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms)
  })
  try {
    await Promise.race([probe(), timeout])
  } catch (err) {
    throw new Error(`${setting} is not reachable: ${(err as Error).message}`)
  } finally {
    clearTimeout(timer)
  }
}
