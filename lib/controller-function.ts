import { resolve } from 'node:path';

import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { ENV } from '../lambda/config/environment';
import { bundleLambda } from './lambda-bundling';
import { acknowledge, EXPLAINED_FINDINGS } from './nag-suppressions';

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
 * One Lambda entry: Node.js 22 on ARM64 (Graviton: cheaper per ms), bundled by the local esbuild with
 * `bundleLambda`, the function `npm run build` calls, the AWS SDK inside the bundle so the deployed
 * code is exactly the tested code, not the runtime's SDK of the day. Not a NodejsFunction: its
 * esbuild call writes one file, and the bundle is split into chunks loaded on first use (cold start).
 */
export class ControllerFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ControllerFunctionProps) {
    super(scope, id);
    const profile = FUNCTION_PROFILES[props.entryName];
    if (!profile) throw new Error(`no FUNCTION_PROFILES entry for Lambda entry "${props.entryName}"; add its memory and timeout in lib/controller-function.ts`);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const entry = resolve(ROOT, props.entry);
    this.function = new lambda.Function(this, 'Function', {
      // as NodejsFunction does: the hash is the bundle's, so an unchanged bundle is not redeployed
      code: lambda.Code.fromAsset(ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // never used: local bundling always succeeds or throws
          image: DockerImage.fromRegistry('dummy'),
          local: {
            tryBundle(outputDir: string): boolean {
              bundleLambda(entry, outputDir);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
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
    });
    // tracing's '*' grant, on the role wherever it lives (a role passed in is not under this construct)
    acknowledge(this.function, EXPLAINED_FINDINGS.tracing);
    if (props.role) acknowledge(props.role, EXPLAINED_FINDINGS.tracing);
  }
}
