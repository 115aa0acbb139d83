import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';

import { oneSignerPerClient } from '../../../lambda/adapters/one-signer-per-client';

/** An SQS client that answers every call with an empty ListQueues result, keeping each request it was sent. */
function offlineClient(credentials: SQSClient['config']['credentials'] | { accessKeyId: string; secretAccessKey: string }) {
  const requests: Array<{ headers: Record<string, string> }> = [];
  const client = new SQSClient({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:9',
    credentials,
    cacheMiddleware: true,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        requests.push(request);
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new Uint8Array(Buffer.from('{}')) } };
      },
    },
  });
  return { client, requests };
}

describe('oneSignerPerClient', () => {
  it('builds the signer once for many calls, each still signed with the date of its own call', async () => {
    // Prepare
    const { client, requests } = offlineClient({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    const buildSigner = jest.spyOn(client.config, 'signer');
    oneSignerPerClient(client);

    // Act
    for (let call = 0; call < 3; call += 1) await client.send(new ListQueuesCommand({}));

    // Assess
    expect(buildSigner).toHaveBeenCalledTimes(1);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sqs\/aws4_request, SignedHeaders=.*x-amz-date.*, Signature=[0-9a-f]{64}$/);
      expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });

  it('signs with credentials refreshed after the signer was built (it holds the provider, not the keys)', async () => {
    // Prepare: credentials that expire at once, so the SDK asks the provider again for every call
    let issued = 0;
    const provider = async () => {
      issued += 1;
      return { accessKeyId: `AKID${issued}`, secretAccessKey: 'secret', expiration: new Date(Date.now() - 1000) };
    };
    const { client, requests } = offlineClient(provider);
    oneSignerPerClient(client);

    // Act
    await client.send(new ListQueuesCommand({}));
    await client.send(new ListQueuesCommand({}));

    // Assess
    const keys = requests.map((request) => /Credential=(\w+)\//.exec(request.headers.authorization ?? '')?.[1]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('asks for a signer again after building one failed', async () => {
    // Prepare
    const { client } = offlineClient({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    const build = client.config.signer;
    let failures = 1;
    client.config.signer = (authScheme) => (failures-- > 0 ? Promise.reject(new Error('region not resolvable yet')) : build(authScheme));
    oneSignerPerClient(client);

    // Act / Assess
    await expect(client.send(new ListQueuesCommand({}))).rejects.toThrow('region not resolvable yet');
    await expect(client.send(new ListQueuesCommand({}))).resolves.toBeDefined();
  });
});
