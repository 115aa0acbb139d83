import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { buildSync } from 'esbuild';

import { ROOT } from './example-stack';

/** The client packages whose commands become IAM actions of this service prefix. */
const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = {
  'client-sqs': 'sqs',
  'client-dynamodb': 'dynamodb',
  'client-eventbridge': 'events',
  'client-cloudwatch': 'cloudwatch',
  'client-lambda': 'lambda',
  'client-s3': 's3',
  'client-sns': 'sns',
};

/**
 * SQS's batch calls are authorized as their single action
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html).
 */
const BATCH_AS_SINGLE: Readonly<Record<string, string>> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
  // S3 authorizes a listing of objects as s3:ListBucket on the bucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
  's3:ListObjectsV2': 's3:ListBucket',
};

/** Commands whose IAM action has another name (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html). */
const ACTION_OF_COMMAND: Readonly<Record<string, string>> = {
  'lambda:Invoke': 'lambda:InvokeFunction',
};

/** Calls made without an SDK client: the file that makes one, and the IAM action it needs. */
const SIGNED_BY_HAND: Readonly<Record<string, string>> = {
  'lambda/adapters/lambda/lambda-mover-invoker.ts': 'lambda:InvokeFunction',
};

/**
 * Every IAM action the code bundled for an entry can call, from the source files esbuild puts in its
 * bundle: each `new XCommand(` of an `@aws-sdk/client-*` import (static or `import()`), and the hand-signed
 * calls. A superset of what the function calls (a shared module brings methods that only other
 * functions use), so a test compares it with the role's grants plus a list of explained exceptions.
 */
export function reachableSdkActions(entry: string): ReadonlyMap<string, readonly string[]> {
  const result = buildSync({ entryPoints: [resolve(ROOT, entry)], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent', absWorkingDir: ROOT });
  const actions = new Map<string, string[]>();
  const add = (action: string, file: string) => actions.set(action, [...new Set([...(actions.get(action) ?? []), file])]);
  for (const file of Object.keys(result.metafile.inputs).filter((input) => input.startsWith('lambda/'))) {
    const text = readFileSync(resolve(ROOT, file), 'utf8');
    if (SIGNED_BY_HAND[file]) add(SIGNED_BY_HAND[file], file);
    const services = [...text.matchAll(/@aws-sdk\/(client-[a-z0-9-]+)/g)].map((match) => SERVICE_OF_CLIENT[match[1]!]).filter((service): service is string => service !== undefined);
    const commands = [...text.matchAll(/new (?:\w+\.)?(\w+)Command\(/g)].map((match) => match[1]!);
    if (commands.length === 0) continue;
    const service = [...new Set(services)];
    if (service.length !== 1) throw new Error(`${file} sends commands but imports ${service.length} client packages: say which commands are whose`);
    for (const command of commands) {
      const action = `${service[0]}:${command}`;
      add(BATCH_AS_SINGLE[action] ?? ACTION_OF_COMMAND[action] ?? action, file);
    }
  }
  return actions;
}
