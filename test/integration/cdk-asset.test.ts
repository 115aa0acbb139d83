import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { OWN_BUNDLES } from '../../lib/lambda-bundling';
import { exampleConfig, synthStack } from '../support/example-stack';
import { startTestStack, type TestStack } from '../support/local-stack-fixture';

describe('the api function asset that cdk synth bundles', () => {
  let outdir: string;
  let bundle: string;
  let t: TestStack;
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const { template } = synthStack({ config: exampleConfig(), bundle: true, outdir });
    const [api] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Timeout: 25 } }));
    // the function's S3 key names its asset in the stack's asset manifest
    const hash = String(api!.Properties.Code.S3Key).replace(/\.zip$/, '');
    const manifest = JSON.parse(readFileSync(join(outdir, 'RedriveController-test.assets.json'), 'utf8'));
    bundle = join(outdir, manifest.files[hash].source.path, 'index.mjs');
    t = await startTestStack({ bundles: { api: bundle } });
    // synth bundles every function with esbuild: a minute on a busy two-core machine
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('is a minified ESM bundle with its source map and the AWS SDK inside', async () => {
    // Act
    const code = readFileSync(bundle, 'utf8');

    // Assess
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(code.startsWith("import{createRequire}from'module'")).toBe(true);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    // minified: the bundle's own top-level names are mangled away
    for (const name of ['TARGET_PREFIX', 'MAX_PAGES_PER_QUERY', 'CLIENT_OPTIONS']) expect(code).not.toContain(name);
  });

  it('holds the bundles of their own beside index.mjs: the S3 client and the Tracer', () => {
    expect(OWN_BUNDLES.map((own) => own.file).filter((file) => !existsSync(join(dirname(bundle), file)))).toEqual([]);
  });

  it('loads and serves start, list and cancel against the local stack', async () => {
    // Prepare
    const dlq = await t.seedDlq(5, 'asset');

    // Act
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'asset test' });
    const listed = await t.post('/ListMessageMoveTasks', { SourceArn: dlq.dlqArn });
    const cancelled = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle });

    // Assess
    expect(started.status).toBe(200);
    expect(listed.body.Results[0]).toMatchObject({ TaskHandle: started.body.TaskHandle });
    expect(cancelled.status).toBe(200);
    expect(t.sqsProxy.count('AmazonSQS.StartMessageMoveTask')).toBe(1);
  });
});
