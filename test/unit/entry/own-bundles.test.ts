import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { bundleLambda, HANDLER_FILE, OWN_BUNDLES } from '../../../lib/lambda-bundling';
import { listMoveTasksEvent } from '../../support/list-move-tasks-event';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

// what Lambda sets: without them Powertools Tracer turns itself off (bench/cold-start.ts, INIT_ENV)
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TASK_TABLE_NAME: 'redrive-tasks',
  CONTROLLER_ACCOUNT_ID: '123456789012',
  MANAGED_QUEUES: 'arn:aws:sqs:us-east-1:123456789012:*',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'redrive-controller-api',
  LAMBDA_TASK_ROOT: '/var/task',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
};

/** Imports the bundle in a fresh process, as Lambda's INIT does, and answers its `initialized` and what it printed. */
async function initialize(bundle: string, env: Record<string, string>): Promise<{ traced: unknown; stderr: string }> {
  const script = 'const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(await m.initialized));';
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(bundle).href], { env: { ...LAMBDA_ENV, ...env } });
  return { traced: JSON.parse(stdout), stderr };
}

/**
 * The S3 client and the Tracer are bundles of their own beside index.mjs (lib/lambda-bundling.ts), each
 * loaded through a loader. Locally tracing is off, so no other test loads the Tracer's: this one proves
 * the deployed artifact finds it.
 */
describe('the bundles of their own', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'own-bundles-'));
    bundleLambda(resolve(ROOT, 'lambda/entry/api.ts'), outdir);
  }, 60_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('are written beside the API function index.mjs', () => {
    expect(OWN_BUNDLES.filter((own) => !existsSync(join(outdir, own.file)))).toEqual([]);
  });

  it('load the Tracer during INIT where tracing is on, without a warning', async () => {
    const { traced, stderr } = await initialize(join(outdir, HANDLER_FILE), {});

    expect(traced).toBe(true);
    // with-tracing.ts warns 'tracing off: the Tracer did not load' when its import fails
    expect(stderr).not.toContain('tracing off');
  });

  it('trace a request: the SDK call is a subsegment of `## api`, sent to the X-Ray daemon', async () => {
    // Prepare: a daemon (X-Ray's UDP protocol: a header line, then the segment document) and an SQS endpoint
    const daemon = createSocket('udp4');
    const documents: { name: string; id: string; parent_id?: string; aws?: { operation?: string }; annotations?: Record<string, unknown> }[] = [];
    daemon.on('message', (message) => documents.push(JSON.parse(message.toString().split('\n')[1]!)));
    await new Promise<void>((bound) => daemon.bind(0, '127.0.0.1', bound));
    const sqs = createServer((request, response) => request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"Results":[]}')));
    await new Promise<void>((listening) => sqs.listen(0, '127.0.0.1', listening));
    const event = listMoveTasksEvent();
    const script =
      'const m = await import(process.argv[1]); await m.initialized; ' +
      "const r = await m.handler(JSON.parse(process.env.EVENT), { awsRequestId: 'r-1', functionName: 'api', getRemainingTimeInMillis: () => 10000 }); " +
      "process.stdout.write('status ' + r.statusCode);";

    try {
      // Act: one invocation, as Lambda makes it (its trace header in _X_AMZN_TRACE_ID)
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(join(outdir, HANDLER_FILE)).href], {
        env: {
          ...LAMBDA_ENV,
          AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
          AWS_ENDPOINT_URL: `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`,
          _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1',
          EVENT: JSON.stringify(event),
        },
      });
      await waitFor(() => documents.some((document) => document.aws?.operation === 'ListMessageMoveTasks') && documents.some((document) => document.name === '## api'));

      // Assess
      expect(stdout).toMatch(/status 200$/);
      const api = documents.find((document) => document.name === '## api')!;
      expect(api.annotations).toMatchObject({ ColdStart: true });
      expect(documents.find((document) => document.aws?.operation === 'ListMessageMoveTasks')).toMatchObject({ name: 'SQS', parent_id: api.id });
    } finally {
      daemon.close();
      sqs.close();
    }
  });

  it('leave the Tracer unloaded where tracing is off', async () => {
    const { traced } = await initialize(join(outdir, HANDLER_FILE), { POWERTOOLS_TRACE_ENABLED: 'false' });

    expect(traced).toBe(false);
  });
});

/** Resolves once `done` holds: UDP datagrams arrive after the process that sent them has exited. */
async function waitFor(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('the X-Ray daemon did not receive both subsegments');
    await new Promise((tick) => setImmediate(tick));
  }
}
