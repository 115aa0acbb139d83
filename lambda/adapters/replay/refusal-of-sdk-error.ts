import type { RefusedDelivery } from '../../domain/mover/message-destination';

/** What an AWS SDK v3 error says about itself: its name (the service's error code), HTTP status and fault. */
interface SdkError {
  readonly name?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Codes of a service that refuses for rate: it did not act, and the same call may pass later. */
const THROTTLING = new Set([
  'TooManyRequestsException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestThrottled',
  'EC2ThrottledException', 'KMSThrottlingException', 'ResourceNotReadyException', 'ResourceConflictException',
]);

/**
 * A failed call as the port reports it. Throttling, the service's own faults (5xx) and failures
 * without an answer (network, timeout) may pass on a later attempt; any other refusal (access
 * denied, a bad request, a payload too large) will not: permanent. A code in `goneCodes` says the
 * target does not exist: `gone`, kept in the DLQ as unroutable rather than failing the task.
 */
export function refusalOfSdkError(error: unknown, goneCodes: ReadonlySet<string>): Omit<RefusedDelivery, 'id'> {
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const code = sdk.name && sdk.name !== 'Error' ? sdk.name : 'InternalError';
  if (goneCodes.has(code)) return { code, permanent: false, gone: true };
  const status = sdk.$metadata?.httpStatusCode;
  if (status === undefined || THROTTLING.has(code) || status === 429 || status >= 500 || sdk.$fault === 'server') return { code, permanent: false };
  return { code, permanent: true };
}
