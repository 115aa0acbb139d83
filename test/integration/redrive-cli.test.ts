import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

import { openDashboardProxy } from '../support/dashboard-proxy-process';
import { eventually, useTestStack } from '../support/local-stack-fixture';
import { CLI, runCli } from '../support/run-cli';
import { putTaskRecords } from '../support/task-items';

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

describe('the redrive CLI against the local stack', () => {
  const t = useTestStack();
  let env: Record<string, string>;
  beforeAll(() => {
    env = { REDRIVE_API_URL: t.stack.apiUrl };
  });

  it('lists managed queues with their message counts', async () => {
    // Prepare
    const dlq = await t.seedDlq(7, 'cli-queues');
    const name = dlq.dlqArn.split(':').pop()!;

    // Act
    const table = await runCli(['queues'], env);
    const json = await runCli(['queues', '--json'], env);

    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${name}\\s+DLQ\\s+7\\s+0\\s+${dlq.dlqArn}$`, 'm'));
    // the source queue is marked as such: SQS would refuse to redrive it
    expect(table.stdout).toMatch(new RegExp(`^${name.replace(/-dlq$/, '')}\\s+source \\(DLQ ${name}\\)\\s+0\\s`, 'm'));
    expect(JSON.parse(json.stdout).queues).toContainEqual({ QueueArn: dlq.dlqArn, QueueName: name, ApproximateNumberOfMessages: 7, ApproximateNumberOfMessagesNotVisible: 0, RedriveRole: 'dlq' });
    expect(JSON.parse(json.stdout).queues).toContainEqual(expect.objectContaining({ QueueArn: dlq.sourceQueueArn, RedriveRole: 'source', DeadLetterTargetArn: dlq.dlqArn }));
  });

  it('starts a redrive by queue name, lists it, shows it in tasks, and watches it to COMPLETED', async () => {
    // Prepare
    const dlq = await t.seedDlq(6, 'cli-start');
    const name = dlq.dlqArn.split(':').pop()!;

    // Act
    const started = await runCli(['start', name, '--rate', '3', '--reason', 'replay after fix', '--json'], env);
    const { TaskHandle, taskId } = JSON.parse(started.stdout);
    const listed = await runCli(['list', name], env);
    const tasks = await runCli(['tasks', '--queue', dlq.dlqArn], env);
    const watched = await runCli(['watch', taskId, '--interval', '300'], env);

    // Assess
    expect(started.code).toBe(0);
    expect(TaskHandle).toEqual(expect.any(String));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^STATUS\s+MOVED\s+TO MOVE\s+RATE/m);
    expect(listed.stdout).toMatch(/\b3\/s\b/);
    expect(tasks.stdout).toContain(taskId);
    expect(tasks.stdout).toContain('replay after fix');
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/(\[#+\]\s+6\/6\s+100%|6 moved)\s+COMPLETED/);
    expect(watched.stdout).toContain(`Task ${taskId} COMPLETED`);
  });

  it('cancels by handle and by --queue, and the record keeps who and why', async () => {
    // Prepare
    const one = await t.seedDlq(30, 'cli-cancel-a');
    const two = await t.seedDlq(30, 'cli-cancel-b');
    const first = JSON.parse((await runCli(['start', one.dlqArn, '--rate', '1', '--reason', 'replay', '--json'], env)).stdout);
    await runCli(['start', two.dlqArn, '--rate', '1', '--reason', 'replay'], env);
    t.sqsProxy.reset();

    // Act
    const byHandle = await runCli(['cancel', first.TaskHandle, '--reason', 'consumer is failing', '--json'], env);
    const byQueue = await runCli(['cancel', '--queue', two.dlqArn.split(':').pop()!, '--reason', 'stop'], env);
    const recorded = await runCli(['tasks', '--queue', one.dlqArn, '--json'], env);

    // Assess
    expect(byHandle.code).toBe(0);
    expect(JSON.parse(byHandle.stdout)).toMatchObject({ ApproximateNumberOfMessagesMoved: expect.any(Number), taskId: first.taskId });
    expect(byQueue.code).toBe(0);
    expect(byQueue.stdout).toMatch(/^Cancelling task [0-9a-f-]+: \d+ messages had moved\.$/m);
    expect(JSON.parse(recorded.stdout).tasks[0]).toMatchObject({ taskId: first.taskId, cancelledBy: 'arn:aws:iam::123456789012:role/local', cancelReason: 'consumer is failing' });
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(2);
  });

  it('exits 1 with the API message when the API refuses', async () => {
    // Prepare
    const dlq = await t.seedDlq(1, 'cli-errors');

    // Act
    const notDlq = await runCli(['start', dlq.sourceQueueArn, '--reason', 'try'], env);
    const badArn = await runCli(['list', 'arn:aws:sqs:us-east-1:111122223333:elsewhere'], env);
    const noTask = await runCli(['watch', 'no-such-task'], env);
    const nothingRunning = await runCli(['cancel', '--queue', dlq.dlqArn, '--reason', 'stop'], env);

    // Assess
    expect(notDlq).toMatchObject({ code: 1, stdout: '' });
    expect(notDlq.stderr).toBe('redrive: Source queue must be configured as a Dead Letter Queue. (InvalidParameterValue, HTTP 400)\n');
    expect(badArn.code).toBe(1);
    expect(badArn.stderr).toMatch(/account 111122223333.*\(InvalidAddress, HTTP 400\)/);
    expect(noTask.code).toBe(1);
    expect(noTask.stderr).toMatch(/No task no-such-task is recorded \(ResourceNotFoundException, HTTP 400\)/);
    expect(nothingRunning.code).toBe(1);
    expect(nothingRunning.stderr).toMatch(/no redrive of .* is RUNNING/);
  });

  it('exits 2 on usage errors and 1 when the API cannot be reached', async () => {
    // Act
    const unknown = await runCli(['frobnicate'], env);
    const missing = await runCli(['start'], env);
    const badRate = await runCli(['start', 'q', '--rate', '9000', '--reason', 'x'], env);
    const noReason = await runCli(['start', 'q'], env);
    const cancelNoReason = await runCli(['cancel', '--queue', 'q'], env);
    const down = await runCli(['tasks', '--api', 'http://127.0.0.1:9'], env);

    // Assess
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing the DLQ to redrive/);
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toMatch(/--rate must be a whole number from 1 to 500, got "9000"/);
    // one line and a pointer to --help, not the whole help
    expect(unknown.stderr).toBe('redrive: unknown command "frobnicate"\nSee `redrive --help`.\n');
    for (const refused of [noReason, cancelNoReason]) {
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^redrive: missing --reason: say why, it is kept in the task's record/);
    }
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/could not reach the API at http:\/\/127\.0\.0\.1:9/);
  });

  it('takes global options before the command, and answers --version and --help', async () => {
    // Act
    const before = await runCli(['--api', t.stack.apiUrl, '--json', 'tasks', '--limit', '1'], {});
    const version = await runCli(['--version'], {});
    const help = await runCli(['--help'], {});

    // Assess
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toHaveProperty('tasks');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^redrive \d+\.\d+\.\d+\n$/);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/start and cancel always need --reason/);
  });

  it("shows a FAILED task's FailureReason, and the start reason beside who cancelled and why", async () => {
    // Prepare: records as the reconciler leaves them
    const queue = (await t.seedDlq(1, 'cli-why')).dlqArn;
    const at = new Date().toISOString();
    const base = { sourceArn: queue, approximateNumberOfMessagesMoved: 0, createdAt: at, updatedAt: at, startedBy: 'alice', origin: 'api' as const, version: 3 };
    await putTaskRecords(t.dynamoDb, t.stack.tableName, [
      { ...base, taskId: 'why-failed', taskHandle: 'h1', status: 'FAILED', startReason: 'replay', failureReason: 'CouldNotDetermineMessageSource' },
      { ...base, taskId: 'why-cancelled', taskHandle: 'h2', status: 'CANCELLED', startReason: 'replay after fix', cancelledBy: 'bob', cancelReason: 'consumer failing' },
    ]);

    // Act
    const tasks = await runCli(['tasks', '--queue', queue], env);

    // Assess
    expect(tasks.stdout).toMatch(/^why-failed .*started: replay; failed: CouldNotDetermineMessageSource$/m);
    expect(tasks.stdout).toMatch(/^why-cancelled .*started: replay after fix; cancelled by bob: consumer failing$/m);
  });

  it('refuses to start the dashboard without AWS credentials, saying so in the terminal', async () => {
    // Prepare: no credentials anywhere the SDK's chain looks
    const home = mkdtempSync(join(tmpdir(), 'no-aws-'));

    // Act
    const result = await runCli(['dashboard', '--port', '0', '--api', 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1'], {
      HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^redrive: could not sign the request with AWS credentials \(.+\); set AWS_PROFILE or credentials\n$/);
    expect(result.stdout).not.toContain('Dashboard for');
  });

  it('answers the browser with a readable page and reports in the terminal when the API refuses the page', async () => {
    // Prepare: a stand-in for API Gateway refusing every request
    const gateway = createServer((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'User: arn:aws:sts::111122223333:assumed-role/x/y is not authorized to perform: execute-api:Invoke' }));
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
    const api = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/v1`;
    const proxy = spawn(process.execPath, [CLI, 'dashboard', '--port', '0', '--api', api], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proxy.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proxy.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const printed = new URL((await eventually(async () => /at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)?.[1], (found) => found !== undefined))!);
      // the printed URL trades its token for the cookie a browser then sends
      const entry = await fetch(printed, { redirect: 'manual' });
      const cookie = entry.headers.get('set-cookie')!.split(';')[0]!;

      // Act
      const page = await fetch(`${printed.origin}/`, { headers: { accept: 'text/html,application/xhtml+xml', cookie } });
      const html = await page.text();

      // Assess
      expect(output).toMatch(/redrive: warning: GET \/health failed: User: .* is not authorized/);
      expect(page.status).toBe(403);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html).toContain('<h1>The dashboard could not load</h1>');
      expect(html).toContain('answered HTTP 403: User: arn:aws:sts::111122223333:assumed-role/x/y is not authorized');
      await eventually(async () => output, (text) => /redrive dashboard: GET \/: the API answered HTTP 403/.test(text));
    } finally {
      proxy.kill('SIGTERM');
      gateway.close();
    }
  });

  it('signs requests with SigV4 for execute-api when asked to sign', async () => {
    // Prepare: a stand-in for API Gateway that records what arrives
    const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
    const gateway = createServer((request, response) => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ tasks: [] }));
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/prod`;

    try {
      // Act
      const result = await runCli(['tasks', '--api', url, '--sign', '--region', 'eu-west-1'], {
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      });

      // Assess: the same request signed here with the same key and time gives the same signature
      expect(result.code).toBe(0);
      expect(seen).toHaveLength(1);
      const { method, url: path, headers } = seen[0]!;
      expect(path).toBe('/prod/tasks');
      const authorization = headers.authorization!;
      expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
      const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
      const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', sha256: Sha256, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } });
      const expected = await signer.sign(
        {
          method,
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: (gateway.address() as AddressInfo).port,
          path,
          query: {},
          headers: Object.fromEntries(signedNames.filter((name) => name !== 'x-amz-date').map((name) => [name, String(headers[name])])),
        },
        { signingDate: parseAmzDate(String(headers['x-amz-date'])) },
      );
      expect(authorization).toBe(expected.headers.authorization);
    } finally {
      gateway.close();
    }
  });

  it('serves the dashboard through a loopback proxy that forwards only its own page\'s changes', async () => {
    // Prepare
    const proxy = await openDashboardProxy(['dashboard', '--port', '0', '--api', t.stack.apiUrl]);
    const { url, cookie } = proxy;
    try {
      // Act: the printed URL handed the page its token as a cookie
      const page = await fetch(url, { headers: { cookie } });
      const html = await page.text();
      const forged = await fetch(`${url}CancelMessageMoveTask`, { method: 'POST', body: '{"TaskHandle":"x"}', headers: { 'content-type': 'text/plain', cookie } });
      const own = await fetch(`${url}ListMessageMoveTasks`, { method: 'POST', body: '{}', headers: { 'x-redrive-client': 'dashboard', origin: url.slice(0, -1), cookie } });

      // Assess
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(html).toContain('<h1>Redrives</h1>');
      expect(forged.status).toBe(403);
      expect(own.status).toBe(400);
      expect(((await own.json()) as { message: string }).message).toMatch(/SourceArn is required/);
    } finally {
      proxy.stop();
    }
  });
});
