import { Readable } from 'node:stream';

import { LambdaClient } from '@aws-sdk/client-lambda';

import { LambdaFunctionDeadLetterReader } from '../../../../lambda/adapters/lambda/lambda-function-dead-letter-reader';

describe('LambdaFunctionDeadLetterReader', () => {
  it('rides out Lambda\'s throttling with the SDK\'s adaptive retries (the real middleware, no mock of send)', async () => {
    // Prepare: Lambda answers 429 TooManyRequestsException twice, then the list
    const answers = [429, 429, 200];
    const paths: string[] = [];
    const client = new LambdaClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryMode: 'adaptive',
      maxAttempts: 5,
      requestHandler: {
        handle: async (request: { path: string }) => {
          paths.push(request.path);
          const status = answers.shift() ?? 200;
          const body = status === 429
            ? { Type: 'User', message: 'Rate exceeded' }
            : { Functions: [{ FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:a', DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:a-dlq' } }] };
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(status === 429 ? { 'x-amzn-errortype': 'TooManyRequestsException' } : {}) };
          // the shape of @smithy/protocol-http's HttpResponse
          return { response: { statusCode: status, headers, body: Readable.from([Buffer.from(JSON.stringify(body))]) } };
        },
      },
    });

    // Act
    const functions = await new LambdaFunctionDeadLetterReader(client).listFunctions();

    // Assess
    expect(paths).toEqual(['/2015-03-31/functions', '/2015-03-31/functions', '/2015-03-31/functions']);
    expect(functions).toEqual([{ functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:a', deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:a-dlq' }]);
  });
});
