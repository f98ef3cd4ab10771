import type { ResolvedAccess } from '../access.ts'
import { allowsAnonymous } from './anonymous-access.ts'
import { type SecurityScheme, securitySchemeOf } from './security-schemes.ts'

/** An OpenAPI security requirement: a scheme's name, or `{}` for "no credentials needed". */
export type SecurityRequirement = Record<string, string[]>

/**
 * An operation's security: its authentication schemes in the route's order, then `{}` when an
 * anonymous request passes its view permissions. Schemes beyond the four are added to `schemes`.
 */
export async function securityOf(
  access: ResolvedAccess,
  method: string,
  schemes: Record<string, SecurityScheme>,
): Promise<SecurityRequirement[]> {
  const requirements: SecurityRequirement[] = []
  for (const scheme of access.authentication) {
    const found = securitySchemeOf(scheme)
    if (!found || requirements.some((r) => found.name in r)) continue
    schemes[found.name] ??= found.scheme
    requirements.push({ [found.name]: [] })
  }
  if (await allowsAnonymous(access, method)) requirements.push({})
  return requirements
}
