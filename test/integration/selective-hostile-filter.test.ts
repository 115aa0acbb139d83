// Issue 23's hostile filter on the local stack: the largest policy the limits admit, against bodies
// of SQS's largest size (1 MiB) and wide arrays, through the bundled API and mover.
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { SUBJECT_CAPS } from '../../lambda/domain/content-filter/subject-caps';
import { DRY_RUN_BUDGET_MS } from '../../lambda/domain/operations/dry-run-selection';
import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { Faults } from '../support/recording-proxy';
import { count, receiveAllVisible, seedDlqWith } from '../support/selective-dlq';

const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];
/** under SQS's 1 MiB message limit (the emulator's too: MaximumMessageSize 1,048,576) */
const BODY_BYTES = SUBJECT_CAPS.maxBodyBytes - 1024;

/** 150 values, SNS's complexity limit, the one the bodies carry last: every element reads them all */
const EXCLUDED = [...Array.from({ length: 149 }, (_, at) => `x${at}`), 'hit'];
const POLICY = { k: [{ 'anything-but': EXCLUDED }] };

const padded = (fields: Record<string, unknown>) => {
  const head = JSON.stringify(fields).slice(0, -1);
  return `${head},"pad":"${'p'.repeat(BODY_BYTES - head.length - 9)}"}`;
};
const BODIES = {
  small: JSON.stringify({ k: 'ok' }),
  smallExcluded: JSON.stringify({ k: 'hit' }),
  /** ~260,000 elements, the last one not excluded: past the cap on array elements read, so it matches nothing, unread */
  wideArray: `{"k":[${Array<string>(Math.floor((BODY_BYTES - 16) / 6)).fill('"hit"').join(',')},"ok"]}`,
  /** at the cap, each element tested against all 150 values, 1 MiB in all */
  atCap: padded({ k: Array<string>(SUBJECT_CAPS.maxArrayElements).fill('hit') }),
  /** 1 MiB that matches: it must be moved, once */
  largeMatch: padded({ k: 'ok' }),
};

describe('selective redrive with a hostile filter', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses a policy one value over the limit at the start, naming the limit', async () => {
    const dlq = await seedDlqWith(t.sqs, 'hostile-refused', [{ body: BODIES.small }]);
    const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, FilterPolicyScope: 'MessageBody', FilterPolicy: { k: [{ 'anything-but': [...EXCLUDED, 'one-more'] }] } });
    expect({ status: answer.status, type: answer.body.__type, message: answer.body.message }).toEqual({
      status: 400,
      type: 'com.amazonaws.sqs#InvalidParameterValue',
      message: 'FilterPolicy is too complex: its values make 151 combinations, SNS allows at most 150 (each value in an anything-but list counts as one)',
    });
  });

  it('answers a dry run within its budget when SQS is slow, saying it sampled less, and hands every message back', async () => {
    // Prepare: 30 messages; each of the API's receives takes 4.5 s (its SDK gives up on a call after 5 s)
    const dlq = await seedDlqWith(t.sqs, 'hostile-slow', Array.from({ length: 30 }, (_, at) => ({ body: JSON.stringify({ k: at % 2 ? 'ok' : 'hit' }) })));
    t.sqsProxy.inject({ match: 'AmazonSQS.ReceiveMessage', ...Faults.delay(4500, 10) });
    // Act
    const asked = Date.now();
    const dryRun = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, FilterPolicyScope: 'MessageBody', FilterPolicy: POLICY, DryRun: true });
    const answeredMs = Date.now() - asked;
    t.sqsProxy.reset();
    // Assess: two batches matched before the budget ran out, the third arrived after it; the answer came before the API's 25 s
    expect({ status: dryRun.status, body: dryRun.body }).toEqual({ status: 200, body: { Sampled: 20, Matched: 10, Unroutable: 0, Truncated: true } });
    expect(answeredMs).toBeGreaterThanOrEqual(DRY_RUN_BUDGET_MS);
    expect(answeredMs).toBeLessThan(20_000);
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(30);
  });

  it('answers a dry run in time, then moves each matching message once and completes', async () => {
    // Prepare: five messages, three of them 1 MiB, in a DLQ with their source queue
    const dlq = await seedDlqWith(t.sqs, 'hostile', []);
    for (const body of Object.values(BODIES)) await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.sourceUrl, MessageBody: body }));
    await eventually(
      async () => {
        await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
        return count(t.sqs, dlq.dlqUrl);
      },
      (inDlq) => inDlq === 5,
      20_000,
    );
    const filter = { SourceArn: dlq.dlqArn, FilterPolicyScope: 'MessageBody', FilterPolicy: POLICY };

    // Act: the dry run, timed, then the task
    const asked = Date.now();
    const dryRun = await t.post('/StartMessageMoveTask', { ...filter, DryRun: true });
    const answeredMs = Date.now() - asked;
    const started = await t.post('/StartMessageMoveTask', filter);
    expect(started.status).toBe(200);
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle as string, 'base64').toString()).taskId as string;
    const record = await eventually(async () => (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>, (r) => FINAL.includes(r.Status as string), 45_000);

    // Assess: the dry run saw all five well inside the API's 25 s
    expect({ status: dryRun.status, body: dryRun.body }).toEqual({ status: 200, body: { Sampled: 5, Matched: 2, Unroutable: 0 } });
    expect(answeredMs).toBeLessThan(15_000);
    // the task: two moved, three skipped, nothing delivered twice
    expect({ Status: record.Status, FailureReason: record.FailureReason, Moved: record.ApproximateNumberOfMessagesMoved, Skipped: record.NumberOfMessagesSkipped }).toEqual({
      Status: 'COMPLETED',
      FailureReason: undefined,
      Moved: 2,
      Skipped: 3,
    });
    const delivered = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    expect(delivered.map((message) => message.Body!.length).sort((a, b) => a - b)).toEqual([BODIES.small.length, BODIES.largeMatch.length]);
    const left = await receiveAllVisible(t.sqs, dlq.dlqUrl);
    expect(left.map((message) => message.Body!.length).sort((a, b) => a - b)).toEqual(
      [BODIES.smallExcluded.length, BODIES.wideArray.length, BODIES.atCap.length].sort((a, b) => a - b),
    );
  });
});
