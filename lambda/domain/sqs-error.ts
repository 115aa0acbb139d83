/**
 * The one error type of the controller. Codes are SQS's own (see the SQS API reference), so
 * callers using the AWS SDK's SQSClient get the matching exception class.
 */
export type SqsErrorCode =
  | 'InvalidAddress'
  | 'InvalidSecurity'
  | 'RequestThrottled'
  | 'ResourceNotFoundException'
  | 'UnsupportedOperation'
  | 'InvalidParameterValue'
  | 'MissingParameter'
  | 'InvalidAction'
  | 'ServiceUnavailable'
  | 'InternalFailure'
  // 403: a caller the function itself refuses (message readers, the org's callers)
  | 'AccessDeniedException'
  // any other code SQS itself answers with is passed through unchanged
  | (string & {});

export type SqsErrorStatus = 400 | 403 | 500 | 503;

export class SqsError extends Error {
  constructor(
    readonly code: SqsErrorCode,
    message: string,
    readonly status: SqsErrorStatus = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SqsError';
  }

  get isCallerFault(): boolean {
    return this.status < 500;
  }
}

const THROTTLING_CODES: readonly string[] = ['RequestThrottled', 'ThrottlingException', 'Throttling'];

/** SQS refused for rate: it did not act, so the same request may be sent again after a backoff. */
export function isThrottling(error: SqsError): boolean {
  return THROTTLING_CODES.includes(error.code);
}

/**
 * A refusal that repeating will not change (AccessDenied, a KMS key, any other 4xx but throttling):
 * work that meets one ends. Throttling, SQS's own faults and network failures may pass.
 */
export function isPermanentRefusal(error: unknown): error is SqsError {
  return error instanceof SqsError && error.isCallerFault && !isThrottling(error);
}

/** SQS's answers for a queue that does not exist (the JSON and the Query protocol's names). */
const NO_QUEUE_CODES: readonly string[] = ['QueueDoesNotExist', 'ResourceNotFoundException'];

export function isNoSuchQueue(error: SqsError): boolean {
  return NO_QUEUE_CODES.includes(error.code);
}

/** Quotes caller input for an error message: bounded and escaped, so messages stay one safe line. */
export function quote(value: unknown, max = 64): string {
  const text = typeof value === 'string' ? value : textOf(value);
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

// Caller JSON can nest deeper than JSON.stringify can recurse: describing the input must not throw.
function textOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return `(${Array.isArray(value) ? 'an array' : `a ${typeof value}`} too deeply nested to show)`;
  }
}
