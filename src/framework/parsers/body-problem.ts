import { ParseError, type UnsupportedMediaType } from '../errors.ts'

/**
 * A body that could not be parsed, kept rather than thrown so the error surfaces where DRF raises
 * it: when the handler reads the body, after authentication and permissions (an anonymous bad
 * body answers 401).
 */
export class BodyProblem {
  constructor(readonly error: ParseError | UnsupportedMediaType) {}
}

/** Django's TooManyFieldsSent (DATA_UPLOAD_MAX_NUMBER_FIELDS), a 400 as Django answers it. */
export function tooManyFields(max: number): BodyProblem {
  return new BodyProblem(new ParseError(`Too many fields: a request body may have at most ${max}.`))
}
