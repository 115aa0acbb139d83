import { randomUUID } from 'node:crypto';

import { seedDlq } from '../../local/seed-dlq';
import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';
import { runCli } from '../support/run-cli';

// a one-byte CSI (C1), a right-to-left override, an isolate and the right-to-left and left-to-right marks
const BIDI_AND_C1 = 'pay \u009b2J \u202Eevil\u202C \u2067iso\u2069 \u200Fmark\u200E';
// raw, none of these may reach a terminal, --json included (JSON.stringify leaves all but C0 raw)
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// the recovery policy is fixed when the stack starts: its DLQ has a name of its own
const HELD = `cc-hold-${randomUUID().slice(0, 8)}`;

describe('control characters in free text, through the CLI', () => {
  let t: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestStack({ recoveryPolicies: [{ dlq: `arn:aws:sqs:us-east-1:123456789012:${HELD}-dlq`, alarms: [`${HELD}-errors`] }] });
    env = { REDRIVE_API_URL: t.stack.apiUrl };
  });
  afterAll(async () => {
    await t.stop();
  });

  it('prints a Reason with ESC, BEL and C1 characters escaped, while the record keeps it verbatim', async () => {
    // Prepare: an OSC title (ESC ... BEL) and a one-byte CSI (C1) clearing the screen
    const reason = 'hotfix\u001b]0;owned\u0007 \u009b2J done';
    const dlq = await t.seedDlq(30, 'cli-escape');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: reason });
    expect(started.status).toBe(200);

    // Act
    const table = await runCli(['tasks', '--queue', dlq.dlqArn], env);
    const json = await runCli(['tasks', '--queue', dlq.dlqArn, '--json'], env);

    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('hotfix\\x1B]0;owned\\x07 \\x9B2J done');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    for (const output of [table.stdout, json.stdout]) expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json.stdout).tasks[0].startReason).toBe(reason);
    expect((await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks[0].startReason).toBe(reason);
    recordFigure(__filename, { area: 'security', scenario: 'a Reason with ESC, BEL and C1 (an OSC title, a one-byte CSI) in `redrive tasks`, table and --json', cases: 2, held: 'stored verbatim; printed as \\xNN escapes; no control character in the output; --json the same value' });
  });

  it('shows bidi marks and C1 characters of a body escaped in `redrive peek`, table and --json, and --json keeps the body', async () => {
    // Prepare
    const dlq = await seedDlq(t.sqs, `cli-bidi-${randomUUID().slice(0, 8)}`, 1, () => BIDI_AND_C1);

    // Act
    const table = await runCli(['peek', dlq.dlqArn], env);
    const json = await runCli(['peek', dlq.dlqArn, '--json'], env);

    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('pay \\u009b2J \\u202eevil\\u202c \\u2067iso\\u2069 \\u200fmark\\u200e');
    expect(json.code).toBe(0);
    for (const output of [table.stdout, json.stdout]) expect(output).not.toMatch(RAW);
    expect(JSON.parse(json.stdout).Messages.map((message: { Body: string }) => message.Body)).toEqual([BIDI_AND_C1]);
  });

  it('shows a hold Reason with C1 and bidi characters escaped in `redrive hold --json` and `redrive dlqs --json`', async () => {
    // Prepare
    await seedDlq(t.sqs, HELD, 1);
    await t.stack.refreshInventory();

    // Act
    const held = await runCli(['hold', `${HELD}-dlq`, '--reason', BIDI_AND_C1, '--json'], env);
    const listed = await runCli(['dlqs', '--prefix', HELD, '--json'], env);

    // Assess
    expect(held.code).toBe(0);
    expect(listed.code).toBe(0);
    for (const output of [held.stdout, listed.stdout]) expect(output).not.toMatch(RAW);
    // the record says who held it, then the reason as sent
    expect(held.stdout).toContain(': pay \\u009b2J \\u202eevil\\u202c \\u2067iso\\u2069 \\u200fmark\\u200e"');
    expect(JSON.parse(held.stdout).Recovery.Reason).toMatch(new RegExp(`: ${BIDI_AND_C1}$`));
    expect(JSON.parse(listed.stdout).dlqs[0].Recovery.Reason).toBe(JSON.parse(held.stdout).Recovery.Reason);
    recordFigure(__filename, { area: 'security', scenario: 'C1 characters and bidi marks in a peeked body and a hold Reason, through `redrive peek`, `hold --json` and `dlqs --json`', cases: 4, held: 'no raw C1 or bidi mark in any output; escaped as \\uXXXX; --json parses to the value sent' });
  });
});
