/** Field errors in DRF's shape: `{"name": ["This field is required."], "non_field_errors": [...]}`. */
export type FieldErrors = Record<string, string[]>

/** A client error with DRF's status, snake_case code and detail; rendered in one place. */
export class ApiError extends Error {
  status = 400
  code = 'error'
  /** Extra response headers (WWW-Authenticate, Retry-After). */
  headers: Record<string, string> = {}

  constructor(detail?: string) {
    // A client error's stack says nothing a response needs, and capturing it is most of what
    // answering a refused request costs.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(detail)
    Error.stackTraceLimit = limit
    if (detail === undefined) this.message = (this.constructor as typeof ApiError).defaultDetail
  }

  static defaultDetail = 'A server error occurred.'

  /** The JSON body DRF would send. */
  body(): unknown {
    return { detail: this.message }
  }
}

/** 400 with field errors. */
export class ValidationError extends ApiError {
  override status = 400
  override code = 'invalid'
  readonly errors: FieldErrors
  /** Field errors, or one message about the whole object (DRF's `non_field_errors`). */
  constructor(errors: FieldErrors | string) {
    super('Invalid input.')
    this.errors = typeof errors === 'string' ? { non_field_errors: [errors] } : errors
  }
  override body(): unknown {
    return this.errors
  }
}

/** 400 for a body that cannot be parsed. */
export class ParseError extends ApiError {
  override status = 400
  override code = 'parse_error'
  static override defaultDetail = 'Malformed request.'
}

/** 401 (or 403 when the view's first scheme names no challenge) for bad credentials. */
export class AuthenticationFailed extends ApiError {
  override status = 401
  override code = 'authentication_failed'
  static override defaultDetail = 'Incorrect authentication credentials.'
}

/** 401 (or 403) for a request that needed credentials and sent none. */
export class NotAuthenticated extends ApiError {
  override status = 401
  override code = 'not_authenticated'
  static override defaultDetail = 'Authentication credentials were not provided.'
}

/** 403: authenticated, but not allowed. */
export class PermissionDenied extends ApiError {
  override status = 403
  override code = 'permission_denied'
  static override defaultDetail = 'You do not have permission to perform this action.'
}

/** 404 for a missing object, or one the user may not know about. */
export class NotFound extends ApiError {
  override status = 404
  override code = 'not_found'
  static override defaultDetail = 'Not found.'
}

/** 405 with DRF's message naming the method. */
export class MethodNotAllowed extends ApiError {
  override status = 405
  override code = 'method_not_allowed'
  constructor(method: string) {
    super(`Method "${method}" not allowed.`)
  }
}

/** 406 when no renderer matches the Accept header. */
export class NotAcceptable extends ApiError {
  override status = 406
  override code = 'not_acceptable'
  static override defaultDetail = 'Could not satisfy the request Accept header.'
}

/** 415 with DRF's message naming the media type. */
export class UnsupportedMediaType extends ApiError {
  override status = 415
  override code = 'unsupported_media_type'
  constructor(mediaType: string) {
    super(`Unsupported media type "${mediaType}" in request.`)
  }
}

/** 429 with `Retry-After`. */
export class Throttled extends ApiError {
  override status = 429
  override code = 'throttled'
  constructor(waitSeconds: number | null) {
    super(
      waitSeconds === null
        ? 'Request was throttled.'
        : `Request was throttled. Expected available in ${waitSeconds} second${waitSeconds === 1 ? '' : 's'}.`,
    )
    if (waitSeconds !== null) this.headers['retry-after'] = String(waitSeconds)
  }
}

/** 503 for a dependency (database, Redis) that does not answer. */
export class ServiceUnavailable extends ApiError {
  override status = 503
  override code = 'service_unavailable'
  static override defaultDetail = 'Service temporarily unavailable, try again later.'
}
