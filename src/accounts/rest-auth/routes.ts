import type { FastifyInstance } from 'fastify'
import { loginRoute } from './login.ts'
import { logoutRoute } from './logout.ts'
import { passwordChangeRoute } from './password-change.ts'
import { passwordResetRoute } from './password-reset.ts'
import { passwordResetConfirmRoute } from './password-reset-confirm.ts'
import { registrationRoute } from './registration.ts'
import { userRoute } from './user.ts'

/** dj-rest-auth's endpoints under `/rest-auth/` (API.md §6). */
export function restAuthRoutes(app: FastifyInstance) {
  loginRoute(app)
  logoutRoute(app)
  userRoute(app)
  passwordChangeRoute(app)
  passwordResetRoute(app)
  passwordResetConfirmRoute(app)
  registrationRoute(app)
}
