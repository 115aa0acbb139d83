import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';
import { runCli } from '../support/run-cli';

describe('control characters in free text, through the CLI', () => {
  let t: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestStack();
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

});
