import { DeleteMessageBatchCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

import { SqsQueueMessages } from '../../../../lambda/adapters/sqs/sqs-queue-messages';

describe('SqsQueueMessages', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());

  describe('Method: delete', () => {
    it('names each entry SQS did not delete by its receipt handle, across calls of 10', async () => {
      // Prepare: 12 handles; SQS refuses the second of the first call and the first of the second
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'http://sqs/123456789012/orders-dlq' });
      sqs.on(DeleteMessageBatchCommand)
        .resolvesOnce({ Failed: [{ Id: 'd1', Code: 'ReceiptHandleIsInvalid', SenderFault: true, Message: 'expired' }] })
        .resolvesOnce({ Failed: [{ Id: 'd0', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });
      const handles = Array.from({ length: 12 }, (_, index) => `r${index}`);
      // Act
      const { failed } = await new SqsQueueMessages(new SQSClient({ region: 'us-east-1' })).delete('arn:aws:sqs:us-east-1:123456789012:orders-dlq', handles);
      // Assess
      expect(failed.map((entry) => [entry.id, entry.code])).toEqual([['r1', 'ReceiptHandleIsInvalid'], ['r10', 'InternalError']]);
    });
  });
});
