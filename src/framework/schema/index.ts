export {
  type Field,
  type FieldOptions,
  type FieldResult,
  type FieldStyle,
  fail,
  type LoadContext,
  makeField,
  ok,
  type RelatedChoice,
  type ValidationContext,
  type Validator,
} from './field.ts'
export * as f from './fields.ts'
export type { PkType, RelatedScope, Relation } from './related-key.ts'
export {
  type FieldMap,
  type FieldValue,
  type Input,
  type ObjectValidationContext,
  type ObjectValidator,
  type Output,
  type ResourceSchema,
  type ResourceSchemaOptions,
  resourceSchema,
  type UniqueLookup,
  type ValidateOptions,
} from './resource-schema.ts'
