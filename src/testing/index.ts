/** `portcullis/testing`: a test client for an app (DRF's APIClient). */
export type {
  BodyFormat,
  FieldValue,
  FormData,
  TestFile,
} from './request-body.ts'
export {
  type TestClient,
  type TestRequestOptions,
  type TestResponse,
  testClient,
} from './test-client.ts'
