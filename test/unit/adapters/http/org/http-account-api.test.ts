import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HttpAccountApi } from '../../../../../lambda/adapters/http/org/http-account-api';
import { ORG_CALLER_HEADER } from '../../../../../lambda/adapters/http/org-caller';
import { AccountApiUnreachable } from '../../../../../lambda/domain/org/account-api-unreachable';

describe('HttpAccountApi', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ path: request.url ?? '', headers: request.headers, body });
        response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-query-error': 'ResourceNotFoundException;Sender' });
        response.end('{"__type":"com.amazonaws.sqs#ResourceNotFoundException","message":"no such task"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it("signs each call for the account's own region, not the org stack's, and relays the answer as it came", async () => {
    // Act
    const answer = await new HttpAccountApi('eu-west-1').send({ accountId: '111111111111', region: 'us-east-2', apiUrl: url }, 'CancelMessageMoveTask', { TaskHandle: 'h' }, 'alice');

    // Assess
    const call = seen.at(-1)!;
    expect(call.path).toBe('/v1/CancelMessageMoveTask');
    expect(call.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-east-2\/execute-api\/aws4_request/);
    expect(call.headers[ORG_CALLER_HEADER]).toBe('alice');
    expect(JSON.parse(call.body)).toEqual({ TaskHandle: 'h' });
    expect(answer.status).toBe(400);
    expect(answer.headers['x-amzn-query-error']).toBe('ResourceNotFoundException;Sender');
  });

  it('by default waits 10 s for an answer, and 20 s for a DryRun (the account may take its 12 s dry-run budget and more)', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const timeouts: number[] = [];
    const spy = jest.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
      timeouts.push(ms);
      return AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
    });
    try {
      const api = new HttpAccountApi('eu-west-1');
      const endpoint = { accountId: '111111111111', region: 'eu-west-1', apiUrl: silentUrl };
      await expect(api.send(endpoint, 'StartMessageMoveTask', { SourceArn: 'a' }, 'alice')).rejects.toThrow('did not answer within 10 s');
      await expect(api.send(endpoint, 'StartMessageMoveTask', { SourceArn: 'a', DryRun: true }, 'alice')).rejects.toThrow('did not answer within 20 s');
      await expect(api.send(endpoint, 'StartMessageMoveTask', { SourceArn: 'a', DryRun: 'true' }, 'alice')).rejects.toThrow('did not answer within 20 s');
      expect(timeouts).toEqual([10_000, 20_000, 20_000]);
    } finally {
      spy.mockRestore();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says a refused connection did nothing, and a timeout may have', async () => {
    // Prepare: a port nobody listens on, and a server that takes requests and never answers
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
    await new Promise((resolve) => closed.close(resolve));
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const api = new HttpAccountApi('eu-west-1', 300, 600);

    try {
      // Act
      const refused = api.send({ accountId: '111111111111', region: 'eu-west-1', apiUrl: closedUrl }, 'StartMessageMoveTask', {}, 'alice');
      const timedOut = api.send({ accountId: '111111111111', region: 'eu-west-1', apiUrl: silentUrl }, 'StartMessageMoveTask', {}, 'alice');
      // a DryRun may take the account's dry-run budget: it waits longer
      const dryRun = api.send({ accountId: '111111111111', region: 'eu-west-1', apiUrl: silentUrl }, 'StartMessageMoveTask', { SourceArn: 'a', DryRun: true }, 'alice');

      // Assess
      await expect(refused).rejects.toEqual(expect.objectContaining({ constructor: AccountApiUnreachable, mayHaveActed: false, message: 'could not be reached (ECONNREFUSED)' }));
      await expect(timedOut).rejects.toEqual(expect.objectContaining({ constructor: AccountApiUnreachable, mayHaveActed: true, message: 'did not answer within 0.3 s' }));
      await expect(dryRun).rejects.toEqual(expect.objectContaining({ constructor: AccountApiUnreachable, mayHaveActed: true, message: 'did not answer within 0.6 s' }));
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
