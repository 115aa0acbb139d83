import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { bundleLambda, HANDLER_FILE, OWN_BUNDLES } from '../../../lib/lambda-bundling';

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

  it('leave the Tracer unloaded where tracing is off', async () => {
    const { traced } = await initialize(join(outdir, HANDLER_FILE), { POWERTOOLS_TRACE_ENABLED: 'false' });

    expect(traced).toBe(false);
  });
});
