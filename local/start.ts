// npm start [-- --demo]: the whole controller on 127.0.0.1, no AWS account needed.
import { SQSClient } from '@aws-sdk/client-sqs';

import { readCircuitBreakerAlarms } from '../lambda/config/environment';
import { LOCAL_CREDENTIALS, type LocalStack,startLocalStack } from './local-stack';
import { seedDlq } from './seed-dlq';

const DEMO_MESSAGES = 60;

async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const stack = await startLocalStack({
    apiPort: port('PORT', 3000),
    sqsPort: port('SQS_PORT', 9324),
    dynamoDbPort: port('DYNAMODB_PORT', 8000),
    eventsPort: port('EVENTS_PORT', 4010),
    lambdaPort: port('LAMBDA_PORT', 4020),
    // the circuit breaker and the cancel rule's source allow-list, as the deployed stack's config sets them
    circuitBreakerAlarms: readCircuitBreakerAlarms(process.env),
    ...(process.env.EVENT_SOURCES ? { eventSources: process.env.EVENT_SOURCES.split(',').map((source) => source.trim()).filter(Boolean) } : {}),
  });
  console.log(`redrive-controller local stack
  API       ${stack.apiUrl}
  Dashboard ${stack.apiUrl}/
  SQS       ${stack.sqsUrl}   (emulator: create queues and fill DLQs with any SQS client)
  DynamoDB  ${stack.dynamoDbUrl}   (emulator: task table "${stack.tableName}")
  Events    ${stack.eventsUrl}   (EventBridge PutEvents, routed to the stack's rules)
Managing every queue of account ${stack.accountId} in ${stack.region}. Ctrl+C stops.`);
  if (demo) await runDemo(stack);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    stack.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function runDemo(stack: LocalStack): Promise<void> {
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  const { dlqArn } = await seedDlq(sqs, 'demo-orders', DEMO_MESSAGES);
  sqs.destroy();
  const api = stack.apiUrl;
  console.log(`
Demo: queue demo-orders-dlq holds ${DEMO_MESSAGES} messages that failed in demo-orders.
Start a redrive at 2 messages a second (so there is time to cancel it), keeping its handle:

  HANDLE=$(curl -s -X POST ${api}/StartMessageMoveTask -d '{"SourceArn":"${dlqArn}","MaxNumberOfMessagesPerSecond":2,"Reason":"demo"}' | sed -E 's/.*"TaskHandle":"([^"]+)".*/\\1/'); echo "$HANDLE"

Watch it move (SQS's view, always current):

  curl -s -X POST ${api}/ListMessageMoveTasks -d '{"SourceArn":"${dlqArn}"}'

Cancel it (only a RUNNING task can be cancelled; a second cancel is refused with its status):

  curl -s -X POST ${api}/CancelMessageMoveTask -d "{\\"TaskHandle\\":\\"$HANDLE\\",\\"Reason\\":\\"demo cancel\\"}"

The task table's record (who, why, when):

  curl -s '${api}/tasks?sourceArn=${dlqArn}'
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
