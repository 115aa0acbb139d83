import { resolve } from 'node:path';

import { CreateQueueCommand } from '@aws-sdk/client-sqs';

import { parseWorld } from '../../local/world/world-file';
import { useTestStack } from '../support/local-stack-fixture';

/** A world whose function, on-failure destination and rule target each fail into a queue of their own; one queue has two owners. */
const WORLD = parseWorld({
  functions: [
    { name: 'disc-billing', handler: 'fails.mjs', deadLetterQueue: 'disc-billing-dlq' },
    { name: 'disc-orders', handler: 'fails.mjs', onFailure: 'disc-orders-failures' },
    { name: 'disc-ledger', handler: 'fails.mjs', onFailure: 'disc-shared-dlq' },
  ],
  rules: [
    {
      name: 'disc-placed',
      eventBusName: 'disc-shop',
      eventPattern: { source: ['disc.shop'] },
      targets: [
        { id: 'shipping', queue: 'disc-shipping', deadLetterQueue: 'disc-shipping-dlq' },
        { id: 'ledger', function: 'disc-ledger', deadLetterQueue: 'disc-shared-dlq' },
      ],
    },
  ],
}, resolve(__dirname, '../fixtures/world'));

interface DlqEntry {
  QueueName: string;
  Origin: string;
  Targets: Array<{ Arn: string; Kind: string; RuleArn?: string }>;
  SourceQueueArns: string[];
}

/** API.md section 11: GET /dlqs lists the world's functions' and rule targets' DLQs, each with its origin and what fails into it. */
describe('GET /dlqs discovers the DLQs of Lambda functions and EventBridge rule targets', () => {
  const t = useTestStack({ world: WORLD });

  it('lists a function\'s DLQ, an on-failure destination and a rule target\'s DLQ with Origin and Targets, and a queue two owners fail into with both', async () => {
    // Prepare: the queues, as the application would create them
    for (const name of ['disc-billing-dlq', 'disc-orders-failures', 'disc-shipping', 'disc-shipping-dlq', 'disc-shared-dlq']) await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const fn = (name: string) => `arn:aws:lambda:us-east-1:${t.stack.accountId}:function:${name}`;
    const rule = `arn:aws:events:us-east-1:${t.stack.accountId}:rule/disc-shop/disc-placed`;

    // Act
    const summary = await t.stack.refreshInventory();
    const answer = await t.get('/dlqs?prefix=disc-&sort=name');

    // Assess
    expect(summary).not.toHaveProperty('discoveryError');
    expect(answer.status).toBe(200);
    const entries = (answer.body.dlqs as DlqEntry[]).map(({ QueueName, Origin, Targets, SourceQueueArns }) => ({ QueueName, Origin, Targets, SourceQueueArns }));
    expect(entries).toEqual([
      { QueueName: 'disc-billing-dlq', Origin: 'lambda', Targets: [{ Arn: fn('disc-billing'), Kind: 'function' }], SourceQueueArns: [] },
      { QueueName: 'disc-orders-failures', Origin: 'lambda', Targets: [{ Arn: fn('disc-orders'), Kind: 'function' }], SourceQueueArns: [] },
      {
        QueueName: 'disc-shared-dlq',
        Origin: 'lambda',
        Targets: [{ Arn: fn('disc-ledger'), Kind: 'function' }, { Arn: fn('disc-ledger'), Kind: 'rule-target', RuleArn: rule }],
        SourceQueueArns: [],
      },
      {
        QueueName: 'disc-shipping-dlq',
        Origin: 'eventbridge',
        Targets: [{ Arn: `arn:aws:sqs:us-east-1:${t.stack.accountId}:disc-shipping`, Kind: 'rule-target', RuleArn: rule }],
        SourceQueueArns: [],
      },
    ]);
  });
});
