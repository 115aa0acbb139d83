import { SqsError } from '../../../lambda/domain/sqs-error';
import { encodeTaskHandle, MAX_TASK_HANDLE_LENGTH, parseTaskHandle } from '../../../lambda/domain/task-handle';

const ARN = 'arn:aws:sqs:us-east-1:111122223333:orders-dlq';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('parseTaskHandle', () => {
  it('decodes the handle of the SQS reference sample', () => {
    // Prepare
    const handle = encodeTaskHandle('da1d8a96-461d-489e-ae8e-3f00548a7f2e', ARN);
    // Act
    const parsed = parseTaskHandle(handle);
    // Assess
    expect(parsed).toEqual({ handle, taskId: 'da1d8a96-461d-489e-ae8e-3f00548a7f2e', source: expect.objectContaining({ arn: ARN, accountId: '111122223333', queueName: 'orders-dlq' }) });
  });

  it.each([
    ['missing', undefined, 'MissingParameter', /TaskHandle is required/],
    ['empty', '', 'MissingParameter', /TaskHandle is required/],
    ['a number', 42, 'InvalidParameterValue', /must be a string, got number/],
    ['an object', { taskId: 'x' }, 'InvalidParameterValue', /must be a string, got object/],
    ['huge', 'A'.repeat(MAX_TASK_HANDLE_LENGTH + 4), 'InvalidParameterValue', /at most 2048 characters/],
    ['not base64', 'not base64!', 'InvalidParameterValue', /expected base64/],
    ['base64 of text', b64('hello world'), 'InvalidParameterValue', /JSON object/],
    ['base64 of a JSON array', b64('[1,2]'), 'InvalidParameterValue', /JSON object/],
    ['base64 of JSON null', b64('null'), 'InvalidParameterValue', /JSON object/],
    ['base64 of invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64'), 'InvalidParameterValue', /JSON object/],
    ['without taskId', b64(JSON.stringify({ sourceArn: ARN })), 'InvalidParameterValue', /"taskId"/],
    ['with a numeric taskId', b64(JSON.stringify({ taskId: 7, sourceArn: ARN })), 'InvalidParameterValue', /"taskId"/],
    ['with a taskId holding a newline', b64(JSON.stringify({ taskId: 'a\nb', sourceArn: ARN })), 'InvalidParameterValue', /"taskId"/],
    ['without sourceArn', b64(JSON.stringify({ taskId: 'abc' })), 'InvalidParameterValue', /"sourceArn"/],
    ['with a non-SQS sourceArn', b64(JSON.stringify({ taskId: 'abc', sourceArn: 'arn:aws:sns:us-east-1:111122223333:topic' })), 'InvalidParameterValue', /TaskHandle.sourceArn must be an SQS queue ARN/],
    ['with taskId only on the prototype', b64('{"__proto__":{"taskId":"abc"},"sourceArn":"' + ARN + '"}'), 'InvalidParameterValue', /"taskId"/],
  ])('rejects a handle that is %s', (_, value, code, message) => {
    // Act
    const attempt = () => parseTaskHandle(value);
    // Assess
    expect(attempt).toThrow(SqsError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as SqsError).code).toBe(code);
      expect((error as SqsError).status).toBe(400);
    }
  });
});
