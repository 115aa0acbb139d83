import { SQSServiceException } from '@aws-sdk/client-sqs';

import { SqsError } from '../../domain/sqs-error';
import { codeOfQueryCode } from '../query-error-codes';

/**
 * SDK exception → SqsError. SQS's client faults keep SQS's code and message and become 400s
 * (throttling arrives here only after the SDK's retries gave up); SQS's own faults and network
 * failures become 503, since the caller did nothing wrong and may retry.
 */
export function toSqsError(error: unknown): SqsError {
  if (error instanceof SqsError) return error;
  if (error instanceof SQSServiceException) {
    const code = codeOfQueryCode(error.name);
    if (error.$fault === 'client') return new SqsError(code, error.message || `SQS refused the request (${code})`, 400, { cause: error });
    return new SqsError('ServiceUnavailable', `SQS failed to answer (${code}); try again`, 503, { cause: error });
  }
  const name = error instanceof Error ? error.name : 'Error';
  return new SqsError('ServiceUnavailable', `SQS could not be reached (${name}); try again`, 503, { cause: error });
}
