import { ResourceNotFoundException, SQSServiceException, UnsupportedOperation } from '@aws-sdk/client-sqs';

import { toSqsError } from '../../../../lambda/adapters/sqs/to-sqs-error';

const meta = { $metadata: {} };

describe('toSqsError', () => {
  it('keeps SQS client faults as 400s with their code and message', () => {
    const error = toSqsError(new ResourceNotFoundException({ message: 'no such queue', ...meta }));
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', status: 400, message: 'no such queue' });
    expect(toSqsError(new UnsupportedOperation({ message: 'nope', ...meta }))).toMatchObject({ code: 'UnsupportedOperation', status: 400 });
  });

  it('passes through codes SQS answers that we have no class for', () => {
    const error = new SQSServiceException({ name: 'InvalidParameterValue', $fault: 'client', message: 'Source queue must be configured as a Dead Letter Queue.', ...meta });
    expect(toSqsError(error)).toMatchObject({ code: 'InvalidParameterValue', status: 400, message: /Dead Letter Queue/ });
  });

  it('names errors by their JSON protocol code when the SDK reports the legacy Query code', () => {
    const error = new SQSServiceException({ name: 'AWS.SimpleQueueService.NonExistentQueue', $fault: 'client', message: 'gone', ...meta });
    expect(toSqsError(error).code).toBe('QueueDoesNotExist');
  });

  it('turns SQS server faults and network failures into 503s the caller may retry', () => {
    const server = new SQSServiceException({ name: 'InternalError', $fault: 'server', message: 'boom', ...meta });
    expect(toSqsError(server)).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    expect(toSqsError(Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }))).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
  });
});
