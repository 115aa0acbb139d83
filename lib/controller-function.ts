import { resolve } from 'node:path';

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { ENV } from '../lambda/config/environment';
import { LAMBDA_BUNDLING } from './lambda-bundling';

const ROOT = resolve(__dirname, '..');

/** What each entry is for and how much it gets; the redrive and table grants live in the stack. */
export interface FunctionProfile {
  readonly description: string;
  /**
   * Memory also buys CPU: 512 MB keeps the cold start of a bundle holding three SDK clients short
   * (init is CPU-bound) for little cost at a few invocations a minute.
   */
  readonly memorySize: number;
  readonly timeout: Duration;
}

export const FUNCTION_PROFILES: Readonly<Record<string, FunctionProfile>> = {
  // API Gateway's REST integration gives up at 29 s; ending at 25 s lets the function log its own
  // timeout instead of the caller seeing a bare 504. SDK calls time out in 5 s and retry twice (not the cancel
  // or PutEvents: docs/design.md, "Time budget").
  api: { description: 'redrive-controller API: start, list and cancel SQS message move tasks', memorySize: 512, timeout: Duration.seconds(25) },
  // Runs every minute: it must finish before the next run starts.
  reconciler: { description: 'redrive-controller reconciler: syncs the task table with SQS every minute', memorySize: 512, timeout: Duration.seconds(50) },
  events: { description: 'redrive-controller events: cancel events and circuit-breaker alarms', memorySize: 512, timeout: Duration.seconds(30) },
  // Runs every minute, reading every queue's attributes (10,000 queues: a few seconds at 32 calls in flight).
  inventory: { description: 'redrive-controller inventory: the DLQs, their sources, counts and ages, every minute', memorySize: 512, timeout: Duration.seconds(50) },
  // Lambda's longest: a slice works 13 minutes, then frees its lease for the next (lambda/entry/mover.ts)
  mover: { description: 'redrive-controller selective mover: moves only the DLQ messages that match', memorySize: 512, timeout: Duration.minutes(15) },
  // the org stack's (lib/org): a route to an account's API waits up to 10 s for it
  'org-api': { description: 'redrive-controller org API: one view over the accounts, actions routed to each', memorySize: 512, timeout: Duration.seconds(25) },
  'org-ingest': { description: "redrive-controller org ingest: the accounts' events into the org read model", memorySize: 512, timeout: Duration.seconds(30) },
};

export interface ControllerFunctionProps {
  /** the entry's name in LAMBDA_ENTRIES, e.g. `api` */
  readonly entryName: string;
  /** the entry file, relative to the project root */
  readonly entry: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** @default - no reserved concurrency (the account's unreserved pool) */
  readonly reservedConcurrentExecutions?: number;
  /** MB; @default - the entry's FUNCTION_PROFILES memory */
  readonly memorySize?: number;
  /** a role others name (the org API's, which accounts admit); @default - a role of its own */
  readonly role?: iam.IRole;
}

/**
 * One Lambda entry as a NodejsFunction: Node.js 22 on ARM64 (Graviton: cheaper per ms), bundled by
 * the local esbuild with the same settings as `npm run build`, the AWS SDK inside the bundle so the
 * deployed code is exactly the tested code, not the runtime's SDK of the day.
 */
export class ControllerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ControllerFunctionProps) {
    super(scope, id);
    const profile = FUNCTION_PROFILES[props.entryName];
    if (!profile) throw new Error(`no FUNCTION_PROFILES entry for Lambda entry "${props.entryName}"; add its memory and timeout in lib/controller-function.ts`);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.function = new NodejsFunction(this, 'Function', {
      entry: resolve(ROOT, props.entry),
      projectRoot: ROOT,
      depsLockFilePath: resolve(ROOT, 'package-lock.json'),
      handler: 'handler',
      description: profile.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? profile.memorySize,
      timeout: profile.timeout,
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.role ? { role: props.role } : {}),
      logGroup: this.logGroup,
      // X-Ray: Lambda's own segments (init, invocation), and the SDK calls' where the entry loads the
      // Tracer (lambda/entry/with-tracing.ts); CDK grants xray:PutTraceSegments and PutTelemetryRecords
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        [ENV.serviceName]: 'redrive-controller',
        // stack traces point into lambda/*.ts through the bundled source map
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLING.target,
        platform: LAMBDA_BUNDLING.platform,
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourcemap,
        banner: LAMBDA_BUNDLING.banner,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        // bundle the AWS SDK too (NodejsFunction leaves @aws-sdk/* out by default)
        externalModules: [],
        forceDockerBundling: false,
      },
    });
  }
}
