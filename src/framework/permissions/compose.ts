import { andThen } from '../maybe-promise.ts'
import { anyReadsBody } from '../reads-body.ts'
import {
  firstAnswering,
  firstObjectDenial,
  firstViewDenial,
  objectAllows,
  objectVerdict,
  viewAllows,
  viewVerdict,
} from './evaluate.ts'
import { deniesAsMissing, type HidingPermission } from './hide-or-forbid.ts'
import type { Permission } from './permission.ts'

/** Every operand must allow, at view and at object level; short-circuits. */
export function and(...operands: Permission[]): HidingPermission {
  return {
    readsBody: (request) => anyReadsBody(operands, request),
    // The denial is the first denying operand's: it hides if that operand hides.
    async hides(request, view, obj) {
      const by =
        obj === undefined
          ? await firstViewDenial(operands, request, view)
          : await firstObjectDenial(operands, request, view, obj)
      return by !== null && (await deniesAsMissing(by, request, view, obj))
    },
    hasPermission(request, view) {
      return andThen(firstViewDenial(operands, request, view), (denied) => denied === null)
    },
    hasObjectPermission(request, view, obj) {
      return andThen(firstObjectDenial(operands, request, view, obj), (denied) => denied === null)
    },
  }
}

/**
 * One operand must allow. At object level an operand counts only if its view-level check passes
 * too (DRF 3.12's fix): otherwise `or(IsAuthenticated, IsOwnerOrReadOnly)`-like mixes could let an
 * anonymous user through on the strength of a check that never applied to them.
 */
export function or(...operands: Permission[]): HidingPermission {
  return {
    readsBody: (request) => anyReadsBody(operands, request),
    // Every operand denied: the object is hidden only if each of them would hide it.
    async hides(request, view, obj) {
      for (const p of operands) if (!(await deniesAsMissing(p, request, view, obj))) return false
      return operands.length > 0
    },
    hasPermission(request, view) {
      const granting = firstAnswering(operands, (p) => viewAllows(p, request, view), true)
      return andThen(granting, (p) => p !== null)
    },
    hasObjectPermission(request, view, obj) {
      const both = (p: Permission) =>
        andThen(viewAllows(p, request, view), (ok) => ok && objectAllows(p, request, view, obj))
      return andThen(firstAnswering(operands, both, true), (p) => p !== null)
    },
  }
}

/**
 * The operand must deny; at object level, its object check must deny. A broken operand (one that
 * threw) makes `not` deny too: an error is never turned into a grant.
 */
export function not(operand: Permission): Permission {
  return {
    readsBody: (request) => anyReadsBody([operand], request),
    hasPermission(request, view) {
      return andThen(viewVerdict(operand, request, view), (v) => v === 'deny')
    },
    hasObjectPermission(request, view, obj) {
      return andThen(objectVerdict(operand, request, view, obj), (v) => v === 'deny')
    },
  }
}
