// The DLQ inventory job with 2,000 queues of which 500 are DLQs (1,500 sources, 3 naming each DLQ):
// SQS, DynamoDB and CloudWatch calls and time per run, and GET /dlqs's calls (no SQS call) and latency.
import { randomUUID } from 'node:crypto';

import { CreateQueueCommand } from '@aws-sdk/client-sqs';

import { MAX_QUERIES_PER_CALL } from '../lambda/adapters/cloudwatch/cloudwatch-queue-age-reader';
import { inParallel } from '../lambda/domain/in-parallel';
import { startTestStack } from '../test/support/local-stack-fixture';
import { ms, type Report } from './report';

const DLQS = 500;
const SOURCES_PER_DLQ = 3;
const RUNS = 3;

export async function measureDlqInventory(report: Report): Promise<void> {
  const section = 'DLQ inventory';
  const t = await startTestStack({ onLog: () => undefined });
  try {
    const run = randomUUID().slice(0, 6);
    await inParallel(Array.from({ length: DLQS }, (_, at) => at), 16, async (at) => {
      const dlqUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: `bench-${run}-${at}-dlq` }))).QueueUrl!;
      const dlqArn = `arn:aws:sqs:${t.stack.region}:${t.stack.accountId}:${dlqUrl.split('/').pop()}`;
      for (let source = 0; source < SOURCES_PER_DLQ; source += 1) {
        await t.sqs.send(new CreateQueueCommand({ QueueName: `bench-${run}-${at}-src-${source}`, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) } }));
      }
    });
    const queues = DLQS * (SOURCES_PER_DLQ + 1);
    const times: number[] = [];
    let sqsCalls = 0;
    let dynamoDbCalls = 0;
    for (let at = 0; at < RUNS; at += 1) {
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
      const started = performance.now();
      const summary = await t.stack.refreshInventory();
      times.push(performance.now() - started);
      if (summary.dlqs !== DLQS) throw new Error(`the inventory found ${String(summary.dlqs)} DLQs, expected ${DLQS}`);
      sqsCalls = t.sqsProxy.calls.length;
      dynamoDbCalls = t.dynamoDbProxy.calls.length;
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    report.info(section, `one run, ${queues} queues / ${DLQS} DLQs (median of ${RUNS})`, `${ms(median)}; SQS ${sqsCalls} (ListQueues ${Math.ceil(queues / 1000)} + GetQueueAttributes ${queues}); DynamoDB ${dynamoDbCalls}`);
    report.info(section, 'CloudWatch GetMetricData per run', `${Math.ceil(DLQS / MAX_QUERIES_PER_CALL)} (500 DLQs a call; computed: no CloudWatch locally)`);
    report.atMost(section, 'SQS calls per queue per run', sqsCalls / queues, 1.01, (value) => value.toFixed(3));

    t.sqsProxy.reset();
    t.dynamoDbProxy.reset();
    const pages: number[] = [];
    let token: string | undefined;
    do {
      const started = performance.now();
      const answer = await t.get(`/dlqs?limit=100&prefix=bench-${run}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      pages.push(performance.now() - started);
      token = answer.body.nextToken;
    } while (token);
    const pageMedian = [...pages].sort((a, b) => a - b)[Math.floor(pages.length / 2)]!;
    report.info(section, `GET /dlqs, ${pages.length} pages of 100`, `median ${ms(pageMedian)}; DynamoDB ${t.dynamoDbProxy.calls.length / pages.length} calls a page`);
    report.atMost(section, 'GET /dlqs SQS calls', t.sqsProxy.calls.length, 0, String);
  } finally {
    await t.stop();
  }
}
