import { resolve } from 'node:path';

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS, type LocalStack } from '../local-stack';

/** The demo's world (npm start -- --demo): a consumer failing into its on-failure destination, a rule target failing into its DLQ. */
export const DEMO_WORLD_FILE = resolve(__dirname, '../../config/local/world/demo-world.json');
const ORDERS = 3;

/**
 * Puts a few orders on the default bus and waits until the world has failed them: the billing
 * function (its ledger queue is missing) into its on-failure destination after Lambda's retries, the
 * shipping target (its queue is missing) into its dead-letter queue. Then prints the fix and the replay.
 */
export async function runWorldDemo(stack: LocalStack): Promise<void> {
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  const events = new EventBridgeClient({ endpoint: stack.eventsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  try {
    // the application's dead-letter queues exist; the queues the consumers need do not, yet
    for (const name of ['demo-billing-failures', 'demo-shipping-dlq']) await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await events.send(
      new PutEventsCommand({ Entries: Array.from({ length: ORDERS }, (_, at) => ({ Source: 'demo.shop', DetailType: 'Order Placed', Detail: JSON.stringify({ orderId: `order-${at + 1}` }) })) }),
    );
    // Lambda retries twice (here after 1 s and 2 s more)
    await stack.world?.idle();
    // the inventory knows the two DLQs by their origin now, so the printed replays start at once (not a reconcile interval later)
    await stack.refreshInventory();
    const count = async (name: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${stack.sqsUrl}/${stack.accountId}/${name}`, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages ?? '0';
    const arn = (name: string) => `arn:aws:sqs:${stack.region}:${stack.accountId}:${name}`;
    const api = stack.apiUrl;
    console.log(`
Demo world (config/local/world/demo-world.json, docs/local-world.md): ${ORDERS} "Order Placed" events went to the
default bus; its rule demo-order-placed has two targets.
  billing   the function demo-billing, invoked asynchronously. It fails while its ledger queue
            demo-billing-ledger is missing; after 3 attempts Lambda sent each event's invocation record
            to its on-failure destination demo-billing-failures (${await count('demo-billing-failures')} now).
  shipping  the queue demo-shipping, which does not exist yet: EventBridge sent each event to the
            target's dead-letter queue demo-shipping-dlq (${await count('demo-shipping-dlq')} now), with RULE_ARN and TARGET_ARN.

The fix: create the missing queues (SQS's Query API on the emulator):

    curl -s -X POST ${stack.sqsUrl}/ -d Action=CreateQueue -d QueueName=demo-billing-ledger
    curl -s -X POST ${stack.sqsUrl}/ -d Action=CreateQueue -d QueueName=demo-shipping

The replay: each message goes back to the one target that failed (docs/replay.md), from the dashboard
(${api}/) or the CLI or curl:

    redrive start demo-billing-failures --reason "ledger queue created"
    redrive start demo-shipping-dlq --reason "shipping queue created"
    curl -s -X POST ${api}/StartMessageMoveTask -d '{"SourceArn":"${arn('demo-billing-failures')}","Reason":"ledger queue created"}'
    curl -s -X POST ${api}/StartMessageMoveTask -d '{"SourceArn":"${arn('demo-shipping-dlq')}","Reason":"shipping queue created"}'

Invoke the consumer yourself (Lambda's API on LAMBDA_PORT; the local operator may invoke the world's functions):

    curl -s -X POST -H 'X-Amz-Invocation-Type: Event' ${stack.lambdaUrl}/2015-03-31/functions/demo-billing/invocations -d '{"detail":{"orderId":"order-9"}}'
`);
  } finally {
    sqs.destroy();
    events.destroy();
  }
}
