import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

import { LAMBDA_ENTRIES, ORG_LAMBDA_ENTRIES } from '../../lib/lambda-bundling';
import { parseOrgConfig } from '../../lib/org/org-config';
import { RedriveOrgStack } from '../../lib/org/redrive-org-stack';
import { ROOT, synthStack } from '../support/example-stack';
import { type GrantedStatement, grantedStatements } from '../support/permissions-table';
import { reachableSdkActions } from '../support/sdk-calls';

/**
 * Actions whose code is bundled into a function but which that function never calls: a shared module
 * (lambda/entry/dependencies.ts builds one runtime for api, reconciler, events and mover) brings
 * methods that only another function uses. Each is said here, with why; anything else the bundle can
 * call must be granted to the function's role, or it fails on AWS the first time its path runs.
 */
const NOT_CALLED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  api: {
    'dynamodb:DeleteItem': "the hold store's remove is the mover's, the inventory store's save the inventory job's",
    's3:PutObject': "the archive's writes are the mover's (archive tasks)",
  },
  reconciler: {
    'dynamodb:DeleteItem': "the hold store's remove is the mover's, the inventory store's save the inventory job's",
    'dynamodb:BatchGetItem': "GET /dlqs (the API) reads the inventory's chunks and the recoveries in batches; the mover its held batches; the reconciler only with archiveBeforeExpiry (granted then: test/cdk/controller-config.test.ts)",
    'sqs:ChangeMessageVisibility': 'peek, dry runs and the mover hold and release messages; the reconciler receives none',
    'sqs:ListDeadLetterSourceQueues': "peek's sampler (the API) names a DLQ's sources; the reconciler's archive starts only with archiveBeforeExpiry (granted then)",
    's3:PutObject': "the archive's writes are the mover's (archive tasks)",
    's3:ListBucket': "reading the archive is the API's (GET /archives/{taskId}/messages)",
    's3:GetObject': "reading the archive is the API's (GET /archives/{taskId}/messages)",
  },
  events: {
    'dynamodb:DeleteItem': "the hold store's remove is the mover's, the inventory store's save the inventory job's",
    'dynamodb:BatchGetItem': "GET /dlqs (the API) reads the inventory's chunks and the recoveries in batches; the mover its held batches",
    'sqs:ChangeMessageVisibility': 'peek, dry runs and the mover hold and release messages; events only cancel',
    'sqs:ListDeadLetterSourceQueues': "peek's sampler (the API) names a DLQ's sources",
    'sqs:StartMessageMoveTask': "starts are the API's and the recovery tick's (the reconciler); an alarm only pauses",
    'sqs:ListQueues': 'adoption (the reconciler) and GET /queues (the API) list queues',
    'lambda:InvokeFunction': 'no mover name in its environment: a cancel by event leaves the mover to the reconciler',
    's3:PutObject': "the archive's writes are the mover's (archive tasks)",
    's3:ListBucket': "reading the archive is the API's (GET /archives/{taskId}/messages)",
    's3:GetObject': "reading the archive is the API's (GET /archives/{taskId}/messages)",
  },
  mover: {
    'dynamodb:Query': 'the mover reads and replaces its own task by key; queries are the listings\'',
    'sqs:StartMessageMoveTask': "SQS's move tasks are the API's, the reconciler's and the events function's",
    'sqs:CancelMessageMoveTask': "SQS's move tasks are the API's, the reconciler's and the events function's",
    'sqs:ListMessageMoveTasks': "SQS's move tasks are the API's, the reconciler's and the events function's",
    'sqs:ListQueues': 'adoption (the reconciler) and GET /queues (the API) list queues',
    'sqs:GetQueueAttributes': 'recovery reads DLQ depths on the tick (the reconciler); the API checks redrive policies',
    'sqs:ListDeadLetterSourceQueues': "peek's sampler (the API) names a DLQ's sources",
  },
  'org-api': {
    'dynamodb:PutItem': "the read model's writes are org ingest's",
    'dynamodb:UpdateItem': "the read model's writes are org ingest's",
  },
  'org-ingest': {
    'dynamodb:Query': "the read model's queries are the org API's",
  },
};

function granted(statements: readonly GrantedStatement[], name: string, action: string): boolean {
  const [service] = action.split(':');
  return statements.some((s) => s.function === name && s.effect === 'Allow' && s.actions.some((each) => each === action || each === `${service}:*` || each === '*'));
}

function ungranted(statements: readonly GrantedStatement[], entries: Readonly<Record<string, string>>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(entries).map(([name, entry]) => [
      name,
      [...reachableSdkActions(entry).entries()]
        .filter(([action]) => !granted(statements, name, action) && !NOT_CALLED[name]?.[action])
        .map(([action, files]) => `${action} (${files.join(', ')})`),
    ]),
  );
}

describe("every SDK call in a function's bundle", () => {
  it("is granted to the account stack's function that bundles it, or explained as never called by it", () => {
    // Prepare
    const { stack, template } = synthStack({ entries: LAMBDA_ENTRIES });
    const statements = grantedStatements(stack, stack.functions as Record<string, lambda.IFunction>, template);

    // Act
    const missing = ungranted(statements, LAMBDA_ENTRIES);

    // Assess
    expect(missing).toEqual(Object.fromEntries(Object.keys(LAMBDA_ENTRIES).map((name) => [name, []])));
  });

  it("is granted to the org stack's function that bundles it, or explained as never called by it", () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = parseOrgConfig(JSON.parse(readFileSync(resolve(ROOT, 'config', 'org', 'example.json'), 'utf8')), 'example');
    const stack = new RedriveOrgStack(app, 'RedriveOrg-sdk-calls', { config });
    const statements = grantedStatements(stack, stack.functions, Template.fromStack(stack));

    // Act
    const missing = ungranted(statements, ORG_LAMBDA_ENTRIES);

    // Assess
    expect(missing).toEqual(Object.fromEntries(Object.keys(ORG_LAMBDA_ENTRIES).map((name) => [name, []])));
  });

  it('finds the inventory job\'s BatchGetItem (the grant once missing)', () => {
    expect(reachableSdkActions(LAMBDA_ENTRIES.inventory).get('dynamodb:BatchGetItem')).toEqual(['lambda/adapters/dynamodb/dynamodb-dlq-inventory-store.ts']);
  });
});
