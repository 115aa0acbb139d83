// The DLQ inventory job at issue 26's scale, metrics and history on (as deployed): 2,000 DLQs
// (BENCH_INVENTORY_DLQS), each named by one source queue (BENCH_INVENTORY_SOURCES), each holding
// messages, so every DLQ has its own EMF document and history point each run (the worst case).
// Per run: SQS, DynamoDB and EventBridge calls, history writes, EMF documents and metrics, time.
// Then GET /dlqs's calls (no SQS call) and latency. Figures: docs/performance.md, "DLQ inventory".
import { randomUUID } from 'node:crypto';

import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

import { MAX_QUERIES_PER_CALL } from '../lambda/adapters/cloudwatch/cloudwatch-queue-age-reader';
import { RECEIVED_MESSAGES_DETAIL_TYPE } from '../lambda/domain/dlq/arrival-event';
import { inParallel } from '../lambda/domain/in-parallel';
import { startTestStack } from '../test/support/local-stack-fixture';
import type { RecordedCall } from '../test/support/recording-proxy';
import { ms, type Report } from './report';

const DLQS = Number(process.env.BENCH_INVENTORY_DLQS ?? 2000);
const SOURCES_PER_DLQ = Number(process.env.BENCH_INVENTORY_SOURCES ?? 1);
/** EMF's limit: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html */
const EMF_METRICS_PER_DOCUMENT = 100;

interface RunFigures {
  readonly ms: number;
  readonly summary: Record<string, number | boolean>;
  readonly sqs: Record<string, number>;
  readonly dynamoDb: Record<string, number>;
  readonly historyWrites: number;
  readonly putEvents: number;
  readonly alerts: number;
  readonly emfDocuments: number;
  readonly perDlqDocuments: number;
  readonly maxMetricsPerDocument: number;
  readonly emfBytes: number;
}

/** `AmazonSQS.GetQueueAttributes` → counts by action */
function byAction(calls: readonly RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const action = call.target.split('.').pop() ?? call.target;
    counts[action] = (counts[action] ?? 0) + 1;
  }
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: Array<{ Dimensions?: string[][]; Metrics?: unknown[] }> };
}

export async function measureDlqInventory(report: Report): Promise<void> {
  const section = 'DLQ inventory';
  const emf: string[] = [];
  // the functions' EMF lines are their metrics (Powertools Metrics writes them to stdout)
  const t = await startTestStack({ onLog: (line) => (line.includes('"_aws"') ? emf.push(line) : undefined) });
  try {
    const run = randomUUID().slice(0, 6);
    const dlqUrls: string[] = [];
    await inParallel(Array.from({ length: DLQS }, (_, at) => at), 16, async (at) => {
      const dlqUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: `bench-${run}-${at}-dlq` }))).QueueUrl!;
      dlqUrls.push(dlqUrl);
      const dlqArn = `arn:aws:sqs:${t.stack.region}:${t.stack.accountId}:${dlqUrl.split('/').pop()}`;
      for (let source = 0; source < SOURCES_PER_DLQ; source += 1) {
        await t.sqs.send(new CreateQueueCommand({ QueueName: `bench-${run}-${at}-src-${source}`, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) } }));
      }
    });
    const queues = DLQS * (SOURCES_PER_DLQ + 1);
    // straight into the DLQs: the inventory counts depth, wherever the messages came from
    const arrive = (count: number) =>
      inParallel(dlqUrls, 16, (QueueUrl) => t.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: count }, (_, at) => ({ Id: String(at), MessageBody: `dead letter ${at}` })) })));

    const measureRun = async (): Promise<RunFigures> => {
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
      t.eventsProxy.reset();
      emf.length = 0;
      const started = performance.now();
      const summary = await t.stack.refreshInventory();
      const elapsed = performance.now() - started;
      if (summary.dlqs !== DLQS) throw new Error(`the inventory found ${String(summary.dlqs)} DLQs, expected ${DLQS}`);
      const documents = emf.map((line) => JSON.parse(line) as EmfDocument);
      const metricsOf = (document: EmfDocument) => (document._aws?.CloudWatchMetrics ?? []).reduce((sum, directive) => sum + (directive.Metrics?.length ?? 0), 0);
      const entries = t.eventsProxy.calls.flatMap((call) => (JSON.parse(call.body) as { Entries?: Array<{ DetailType: string }> }).Entries ?? []);
      return {
        ms: elapsed,
        summary,
        sqs: byAction(t.sqsProxy.calls),
        dynamoDb: byAction(t.dynamoDbProxy.calls),
        historyWrites: t.dynamoDbProxy.calls.filter((call) => call.target.endsWith('.UpdateItem') && call.body.includes('dlq-history#')).length,
        putEvents: t.eventsProxy.calls.length,
        alerts: entries.filter((entry) => entry.DetailType === RECEIVED_MESSAGES_DETAIL_TYPE).length,
        emfDocuments: documents.length,
        perDlqDocuments: documents.filter((document) => JSON.stringify(document._aws?.CloudWatchMetrics ?? []).includes('"QueueName"')).length,
        maxMetricsPerDocument: Math.max(0, ...documents.map(metricsOf)),
        emfBytes: emf.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0),
      };
    };

    const describe = (name: string, figures: RunFigures) => {
      report.info(section, `${name}: time`, ms(figures.ms));
      report.info(section, `${name}: SQS calls`, `${total(figures.sqs)} (${listed(figures.sqs)})`);
      report.info(section, `${name}: DynamoDB calls`, `${total(figures.dynamoDb)} (${listed(figures.dynamoDb)})`);
      report.info(section, `${name}: EventBridge`, `${figures.putEvents} PutEvents, ${figures.alerts} Received Messages events`);
      report.info(section, `${name}: EMF`, `${figures.emfDocuments} documents (${figures.perDlqDocuments} per DLQ), ${(figures.emfBytes / 1024).toFixed(0)} KB, at most ${figures.maxMetricsPerDocument} metrics a document`);
      report.atMost(section, `${name}: history writes per DLQ`, figures.historyWrites / DLQS, 1, (value) => value.toFixed(3));
      report.atMost(section, `${name}: metrics per EMF document`, figures.maxMetricsPerDocument, EMF_METRICS_PER_DOCUMENT);
    };

    // run 1 has no baseline (it counts no arrivals) and dates every DLQ's oldest message; not judged
    await arrive(2);
    const first = await measureRun();
    report.info(section, `first run, ${queues} queues / ${DLQS} DLQs (no baseline)`, `${ms(first.ms)}; SQS ${total(first.sqs)} (${listed(first.sqs)}); DynamoDB ${total(first.dynamoDb)}`);

    // run 2: one dead letter more in every DLQ (the alert's worst case)
    await arrive(1);
    const rise = await measureRun();
    describe(`run with arrivals in all ${DLQS} DLQs`, rise);
    report.atMost(section, 'arrivals run: Received Messages events per DLQ', rise.alerts / DLQS, 1, (value) => value.toFixed(3));
    report.atLeast(section, 'arrivals run: DLQs with new messages found', Number(rise.summary.dlqsWithNewMessages ?? 0), DLQS);
    // the sampler's one ReceiveMessage per DLQ whose depth rose (message-expiry.ts) comes on top of the attributes
    report.info(section, 'arrivals run: SQS calls per queue', (total(rise.sqs) / queues).toFixed(3));

    // run 3: nothing changed (the usual minute)
    const quiet = await measureRun();
    describe('quiet run', quiet);
    report.atMost(section, 'quiet run: SQS calls per queue', total(quiet.sqs) / queues, 1.01, (value) => value.toFixed(3));
    report.atMost(section, 'quiet run: Received Messages events', quiet.alerts, 0);
    report.info(section, 'CloudWatch GetMetricData per run', `${Math.ceil(DLQS / MAX_QUERIES_PER_CALL)} (${MAX_QUERIES_PER_CALL} DLQs a call; computed: no CloudWatch locally)`);

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
