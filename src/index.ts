export type { AuthOptions, ClientCredentialsAuth, TokenAuth } from './auth.js';
export {
  createSakariClient,
  type IterateParams,
  type RequestOptions,
  type SakariClient,
  type SakariClientOptions,
} from './client.js';
export {
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SakariApiError,
  SakariConnectionError,
  SakariError,
  SakariPaginationError,
  SakariTimeoutError,
  SakariValidationError,
  ServerError,
} from './errors.js';
export type { ParsedJson } from './json.js';
export type { IterateOptions, MessagePageWithJson, PagesOptions } from './pagination.js';
export { SakariResponse } from './response.js';
export type { RetryOptions } from './retry.js';
export type { ResponseInfo, RetryInfo } from './transport.js';
export type * from './types.js';
