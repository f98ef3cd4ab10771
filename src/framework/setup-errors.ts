/**
 * Programmer mistakes, found when routes are registered, never per request (Fastify's error-code
 * table). Each message says how to fix it; tests assert on the code.
 */
export const SetupErrors = {
  ERR_FIELD_READ_WRITE_ONLY:
    'field "%s" of "%s" is both readOnly and writeOnly; keep readOnly for a field shown but never taken, writeOnly for one taken but never shown.',
  ERR_UNIQUE_TOGETHER:
    'uniqueTogether of "%s" names %s; give each set two or more columns of the table, as its unique index has them.',
  ERR_VIEWSET_QUERY: 'viewset "%s" needs a `query(db)` returning its select; add one.',
  ERR_VIEWSET_PK:
    'viewset "%s" names pk "%s", which is not a field of its schema; add the field or set `pk`.',
  ERR_VIEWSET_LOOKUP:
    'viewset "%s" looks objects up by "%s", which is not a unique field of its schema; declare the field with `unique: true` or set `lookupField` to one that is.',
  ERR_VIEWSET_LOOKUP_PARAM:
    'viewset "%s" has lookupParam "%s", which is not a plain name for a URL parameter; use letters, digits and underscores (e.g. `org_id`).',
  ERR_NESTED_PARENT:
    'viewset "%s" is nested under "%s", where no registered viewset serves retrieve; register the parent first, at that prefix, with the retrieve action.',
  ERR_NESTED_LOOKUP:
    'viewset "%s" is nested with parentLookup "%s", which is not a plain name or is its own lookup parameter; choose another (e.g. the parent\'s singular name).',
  ERR_NESTED_FIELD:
    'viewset "%s" is nested with parentField "%s"; name the column of its table "%s" alone, without a table (e.g. `organization_id`).',
  ERR_VIEWSET_ACTION:
    'viewset "%s" lists unknown action "%s"; use list, create, retrieve, update, partial_update or destroy.',
  ERR_VIEWSET_SUMMARY:
    'viewset "%s" has a summary for "%s", which is none of its generic actions; correct the name or remove the summary.',
  ERR_VIEWSET_POLICY:
    'viewset "%s" has a policy for "%s", which is none of its actions (%s); correct the name or remove the policy.',
  ERR_OBJECT_VIEWSET_HOOK:
    'object viewset "%s" offers the %s action without its `%s` hook; add the hook or leave the action out of `actions`.',
  ERR_OBJECT_VIEWSET_LOOKUP:
    'object viewset "%s" looks objects up by "%s", which is not a field of its schema; add the field or set `lookupField` to one that is.',
  ERR_THROTTLE_RATE:
    'route "%s" is throttled by scope "%s", which has no rate; add it to the `throttleRates` setting (e.g. `{ "%s": "10/min" }`) or remove the throttle.',
  ERR_PERMISSION_SHAPE:
    'a permission of "%s" is not an object with hasPermission/hasObjectPermission; did you pass a factory without calling it?',
  ERR_SCHEME_SHAPE:
    'an authentication scheme of "%s" has no authenticate(request); pass the scheme object itself.',
  ERR_SCHEME_NEEDS:
    'route "%s" authenticates with the %s scheme, which needs the server\'s %s; register the portcullis plugin with `users: accountsUsers()` (portcullis/accounts) or a user store of your own.',
  ERR_ACCOUNTS_ROUTES:
    'accounts `routes` lists "%s", which is not a route group; list groups of ACCOUNTS_ROUTE_GROUPS (portcullis/accounts): %s.',
  ERR_ACCOUNTS_NEEDS:
    'accounts route group "%s" needs the server\'s %s; register the portcullis plugin before accounts, with `users: accountsUsers()` (portcullis/accounts).',
  ERR_ACCOUNTS_MEDIA:
    'accounts route group "avatar" needs a storage for avatars; give the portcullis plugin a `media` setting (or accounts a `media` storage), or leave "avatar" out of `routes`.',
  ERR_ACCOUNTS_TOKEN_LIMIT:
    "accounts `tokenLimitPerUser` is %s; give a whole number above 0 (knox's TOKEN_LIMIT_PER_USER), or null for no limit.",
  ERR_ACCOUNTS_JWT_CLAIMS:
    "accounts `jwtClaims` is %s; give a function of the user returning the claims to add (simplejwt's get_token), or leave it out.",
  ERR_PAGINATION_SIZE:
    'viewset "%s" pages with %s; use whole numbers above 0, the maximum no smaller than the default.',
  ERR_CURSOR_ORDERING:
    'viewset "%s" pages by cursor, which keeps an order of its own, and also declares `ordering` for `?ordering=`; drop one of the two.',
  ERR_CURSOR_FIELD:
    'viewset "%s" orders its cursor pages by "%s", which is no non-null field of its schema; name one, unique or nearly (the pk, a creation time), with "-" for descending.',
  ERR_FILTER_FIELD:
    'viewset "%s" filters on "%s", which is no field of its schema that a filter can read; add the field, or give the filter a `kind` (text, integer, boolean, datetime, uuid, choice) and a `column`.',
  ERR_FILTER_LOOKUP:
    'viewset "%s" filters "%s" by lookup "%s", which a %s filter does not take; use one of: %s.',
  ERR_FILTER_PARAM:
    'viewset "%s" reads the query parameter "%s" twice (a filter, the pages, search or ordering); rename or drop the filter.',
} as const

/** The code of a setup error. */
export type SetupErrorCode = keyof typeof SetupErrors

/** A setup error: a `code` from SetupErrors and a message that says what to change. */
export class SetupError extends Error {
  constructor(
    readonly code: SetupErrorCode,
    ...args: string[]
  ) {
    let i = 0
    super(`${code}: ${SetupErrors[code].replace(/%s/g, () => args[i++] ?? '')}`)
    this.name = 'SetupError'
  }
}
