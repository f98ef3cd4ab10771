import type { TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { AnyQuery } from '../filters.ts'
import type { FilterCondition } from './filter-condition.ts'

/**
 * A filter no column comparison says (django-filter's `Filter(method=...)`), e.g. "friends holding
 * a loan for over 14 days" as an `EXISTS`: `where` narrows the list by the parameter's text, and
 * may leave it as it is for a value it does not take. Its SQL is built on each request that sets
 * it; a list without it stays compiled once.
 */
export interface MethodFilter {
  /** The parameter's schema, for OpenAPI (e.g. `Type.String({ description })`). */
  schema: TSchema
  where<O>(query: AnyQuery<O>, value: string, request: FastifyRequest): AnyQuery<O>
}

/** Declare a method filter in a viewset's `filterFields`. */
export function filterMethod(filter: MethodFilter): MethodFilter {
  return filter
}

/** The condition a method filter adds for one request's value: built for that request alone. */
export function methodCondition(
  param: string,
  filter: MethodFilter,
  value: string,
  request: FastifyRequest,
): FilterCondition {
  return {
    key: param,
    arity: 0,
    perRequest: true,
    where: (query) => filter.where(query, value, request),
  }
}
