import { createHash } from 'node:crypto';

import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

import { leanMoverClient } from '../../../../lambda/adapters/sqs/lean-mover-client';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** An SQS client that answers every call with the given JSON body, keeping each request it was sent. */
function offlineClient(answer: () => unknown) {
  const requests: Array<{ headers: Record<string, string> }> = [];
  const client = new SQSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    cacheMiddleware: true,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        requests.push(request);
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new Uint8Array(Buffer.from(JSON.stringify(answer()))) } };
      },
    },
  });
  return { client, requests };
}

describe('leanMoverClient', () => {
  const saved = { traceId: process.env._X_AMZN_TRACE_ID, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME };
  afterEach(() => {
    for (const [name, value] of [['_X_AMZN_TRACE_ID', saved.traceId], ['AWS_LAMBDA_FUNCTION_NAME', saved.functionName]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('sends the SDK user agent, built once, naming the mover; signs it; adds no trace header', async () => {
    // Prepare
    // as in a Lambda instance, where the SDK's recursion detection would copy the trace id into each request
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'redrive-mover';
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const plain = offlineClient(() => ({ Successful: [], Failed: [] }));
    const lean = offlineClient(() => ({ Successful: [], Failed: [] }));
    const provider = jest.spyOn(lean.client.config, 'defaultUserAgentProvider');
    leanMoverClient(lean.client);
    const send = () => new SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries: [{ Id: '0', MessageBody: 'x' }] });

    // Act
    await plain.client.send(send());
    for (let call = 0; call < 3; call += 1) await lean.client.send(send());

    // Assess
    expect(provider).toHaveBeenCalledTimes(1);
    const sdk = plain.requests[0]!.headers;
    expect(sdk['X-Amzn-Trace-Id']).toBeDefined();
    for (const { headers } of lean.requests) {
      expect(headers['x-amz-user-agent']).toBe(sdk['x-amz-user-agent']);
      // the SDK's sections up to its api name, then the mover's app id (the SDK's feature flags are left out)
      const [sdkSections] = sdk['user-agent']!.split(' m/');
      expect(headers['user-agent']).toBe(`${sdkSections} app/redrive-controller-mover`);
      expect(headers['X-Amzn-Trace-Id']).toBeUndefined();
      expect(headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-user-agent[^,]*, Signature=[0-9a-f]{64}$/);
    }
  });

  it('still refuses a received body whose MD5 is not the one SQS computed', async () => {
    // Prepare
    const message = (body: string, digest: string) => ({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: body, MD5OfBody: digest }] });
    let answer = message('{"tenant":"a"}', md5('{"tenant":"a"}'));
    const { client } = offlineClient(() => answer);
    leanMoverClient(client);
    const receive = () => client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10 }));

    // Act
    const intact = await receive();
    answer = message('{"tenant":"b"}', md5('{"tenant":"a"}'));

    // Assess
    expect(intact.Messages?.[0]?.Body).toBe('{"tenant":"a"}');
    await expect(receive()).rejects.toThrow(/MD5/i);
  });
});
