import { type ChildProcess,execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

const root = resolve(__dirname, '../..');

/** `npm start -- --demo` prints curl lines; run them exactly as printed, as a new user would. */
describe('npm start -- --demo', () => {
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'local/start.ts', '--demo'], {
      cwd: root,
      env: { ...process.env, PORT: '0', SQS_PORT: '0', DYNAMODB_PORT: '0', EVENTS_PORT: '0', LAMBDA_PORT: '0', S3_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`demo did not print its walk-through:\n${output}`)), 60_000);
      child.stdout!.on('data', () => {
        if (output.includes("The task table's record")) {
          clearTimeout(timer);
          ready();
        }
      });
      child.once('exit', (code) => failed(new Error(`npm start exited ${code}:\n${output}`)));
    });
  }, 90_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('names the dashboard URL and the CLI commands, and runs the printed CLI lines that read (the DLQs, a peek) as they are', () => {
    // Prepare
    const api = /^ {2}export REDRIVE_API_URL=(\S+)$/m.exec(output)?.[1];
    const cli = output.split('\n').filter((line) => /^ {2}redrive /.test(line)).map((line) => line.trim());

    // Act: `redrive` as `npm link` would put it on the path
    const runPrinted = (line: string) => execFileSync('bash', ['-c', line], { encoding: 'utf8', env: { ...process.env, REDRIVE_API_URL: api!, PATH: `${resolve(root, 'test/support/bin')}:${process.env.PATH}` } });
    const dlqs = runPrinted(cli[0]!);
    const peek = runPrinted(cli[1]!);

    // Assess
    expect(output).toContain(`In a browser: ${api}/ (the dashboard`);
    expect(cli).toEqual([
      'redrive dlqs',
      'redrive peek demo-orders-dlq --max 5',
      'redrive start demo-orders-dlq --rate 2 --reason "replay after the fix"',
      'redrive cancel --queue demo-orders-dlq --reason "consumer failing again"',
      'redrive tasks --queue demo-orders-dlq',
    ]);
    expect(dlqs).toMatch(/^demo-orders-dlq\s.*\b60\b/m);
    expect(peek).toMatch(/message \d+/);
  });

  it("shows the world's consumer and rule target failed into their queues, and its printed fix lets the consumer succeed", async () => {
    // Prepare: the world's part comes after Lambda's retries (about 3 s)
    await new Promise<void>((done) => {
      const check = () => output.includes('Invoke the consumer yourself') && output.includes('/invocations -d') && done();
      child.stdout!.on('data', check);
      check();
    });
    const commands = output.split('\n').filter((line) => /^ {4}curl -s -X POST \S+\/ -d Action=CreateQueue/.test(line) || /^ {4}curl .*\/invocations /.test(line)).map((line) => line.trim());
    const sqsUrl = /(http:\/\/127\.0\.0\.1:\d+)\/ -d Action=CreateQueue/.exec(output)![1]!;

    // Act: create the missing queues, then invoke the consumer as printed
    execFileSync('bash', ['-c', commands.join(' && ')], { encoding: 'utf8' });
    const ledger = new SQSClient({ endpoint: sqsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    let billed: string | undefined;
    try {
      while (billed === undefined) {
        const received = await ledger.send(new ReceiveMessageCommand({ QueueUrl: `${sqsUrl}/123456789012/demo-billing-ledger`, WaitTimeSeconds: 1 }));
        billed = received.Messages?.[0]?.Body;
      }
    } finally {
      ledger.destroy();
    }

    // Assess
    expect(output).toMatch(/on-failure destination demo-billing-failures \(3 now\)/);
    expect(output).toMatch(/dead-letter queue demo-shipping-dlq \(3 now\)/);
    // what it prints points into the repository's docs, never at a contract the clone does not hold
    expect(output).toContain('the one target that failed (docs/replay.md)');
    expect(output).not.toContain('API.md');
    expect(commands).toHaveLength(3);
    expect(JSON.parse(billed)).toEqual({ billed: { orderId: 'order-9' } });
  });

  it("replays the world's dead letters with the printed CLI lines: each order is billed and shipped once", async () => {
    // Prepare: the fix is in (the test before created the queues)
    const api = /^ {2}export REDRIVE_API_URL=(\S+)$/m.exec(output)![1]!;
    const sqsUrl = /(http:\/\/127\.0\.0\.1:\d+)\/ -d Action=CreateQueue/.exec(output)![1]!;
    const replays = output.split('\n').filter((line) => /^ {4}redrive start /.test(line)).map((line) => line.trim());
    const sqs = new SQSClient({ endpoint: sqsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const orders = async (queue: string, pick: (body: any) => string | undefined) => {
      const seen = new Map<string, string | undefined>();
      while ([...seen.values()].filter((order) => order !== undefined && order !== 'order-9').length < 3) {
        const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${sqsUrl}/123456789012/${queue}`, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 1 }));
        for (const message of received.Messages ?? []) seen.set(message.MessageId!, pick(JSON.parse(message.Body!)));
      }
      return [...seen.values()].filter((order) => order !== 'order-9').sort();
    };

    // Act: as printed, with `redrive` on the path
    const started = execFileSync('bash', ['-c', replays.join(' && ')], { encoding: 'utf8', env: { ...process.env, REDRIVE_API_URL: api, PATH: `${resolve(root, 'test/support/bin')}:${process.env.PATH}` } });
    let billed: (string | undefined)[];
    let shipped: (string | undefined)[];
    try {
      billed = await orders('demo-billing-ledger', (body) => body.billed?.orderId);
      shipped = await orders('demo-shipping', (body) => body.detail?.orderId);
    } finally {
      sqs.destroy();
    }

    // Assess
    expect(replays).toEqual(['redrive start demo-billing-failures --reason "ledger queue created"', 'redrive start demo-shipping-dlq --reason "shipping queue created"']);
    expect(started.match(/Started a replay of \S+/g)).toEqual(['Started a replay of demo-billing-failures.', 'Started a replay of demo-shipping-dlq.']);
    expect(billed).toEqual(['order-1', 'order-2', 'order-3']);
    expect(shipped).toEqual(['order-1', 'order-2', 'order-3']);
  });

  it('prints curl lines that start, list and cancel a redrive as printed, and stops cleanly on SIGTERM', async () => {
    // Prepare: the indented command lines, in the order printed
    const commands = output.split('\n').filter((line) => /^ {2}(HANDLE=|curl )/.test(line)).map((line) => line.trim());
    expect(commands).toHaveLength(4);
    const script = commands.map((command, at) => `echo "### ${at}"; ${command}; echo`).join('\n');

    // Act
    const result = execFileSync('bash', ['-c', script], { encoding: 'utf8' });

    // Assess
    const [, handle, list, cancel, record] = result.split(/### \d\n/);
    expect(handle!.trim()).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(list!).Results[0]).toMatchObject({ Status: 'RUNNING', TaskHandle: handle!.trim() });
    expect(JSON.parse(cancel!)).toEqual({ ApproximateNumberOfMessagesMoved: expect.any(Number) });
    expect(JSON.parse(record!).tasks[0]).toMatchObject({ startReason: 'demo', cancelReason: 'demo cancel', Status: expect.stringMatching(/^CANCELL/) });

    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
