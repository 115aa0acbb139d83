import type { ApiClient } from '../../../cli/api-client';
import { archiveCommand,archivesCommand } from '../../../cli/archive-commands';
import { type CommandContext, selectionOptions, startCommand } from '../../../cli/commands';
import { parseArgs, UsageError } from '../../../cli/parse-args';

const FLAGS = ['json', 'sign', 'help', 'version', 'dry-run', 'delete'];
const args = (...argv: string[]) => parseArgs(argv, FLAGS);

/** A context whose API records every POST and answers a task handle. */
function recordingContext(): { ctx: CommandContext; posted: Array<[string, Record<string, unknown>]> } {
  const posted: Array<[string, Record<string, unknown>]> = [];
  const handle = Buffer.from(JSON.stringify({ taskId: '0b3a4c1e-1111-4222-8333-944445555666', sourceArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' })).toString('base64');
  const api = {
    post: async (route: string, body: Record<string, unknown>) => (posted.push([route, body]), { TaskHandle: handle }),
    get: async () => ({}),
  } as unknown as ApiClient;
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  return { ctx: { api, json: true, stdout: sink, stderr: sink }, posted };
}

describe('--sent-after / --sent-before (API.md section 7: SentAfter, SentBefore)', () => {
  it('sends epoch milliseconds, given as such or as an ISO-8601 date or time with its zone', () => {
    // Act
    const selection = selectionOptions(args('--sent-after', '1764000000000', '--sent-before', '2026-12-07T12:00:00Z'));
    const day = selectionOptions(args('--sent-after=2026-12-01'));

    // Assess
    expect(selection).toEqual({ SentAfter: 1764000000000, SentBefore: Date.parse('2026-12-07T12:00:00Z') });
    expect(day).toEqual({ SentAfter: Date.parse('2026-12-01T00:00:00Z') });
  });

  it.each([
    ['a time without its zone', ['--sent-after', '2026-12-07T12:00:00'], /--sent-after must be epoch milliseconds or an ISO-8601 date/],
    ['a word', ['--sent-before', 'yesterday'], /--sent-before must be epoch milliseconds or an ISO-8601 date/],
    ['a negative number', ['--sent-before', '-5'], /--sent-before must be epoch milliseconds/],
    ['an impossible date', ['--sent-after', '2026-02-31'], /--sent-after must be epoch milliseconds or an ISO-8601 date/],
    ['no value', ['--sent-after'], /--sent-after needs a value/],
    ['bounds the wrong way round', ['--sent-after', '2000', '--sent-before', '1000'], /--sent-after \(2000\) must be earlier than --sent-before \(1000\)/],
  ])('refuses %s with a usage error', (_, argv, message) => {
    expect(() => selectionOptions(args(...argv))).toThrow(UsageError);
    expect(() => selectionOptions(args(...argv))).toThrow(message);
  });

  it('is taken by start, archive and archives replay, and sent in their requests', async () => {
    // Prepare
    const { ctx, posted } = recordingContext();
    const window = ['--sent-after', '1000', '--sent-before', '2000', '--reason', 'the bad deploy'];

    // Act
    await startCommand(ctx, args('arn:aws:sqs:us-east-1:123456789012:dlq', ...window));
    await archiveCommand(ctx, args('dlq', ...window));
    await archivesCommand(ctx, args('replay', '0b3a4c1e-1111-4222-8333-944445555666', ...window));

    // Assess
    expect(posted.map(([route, body]) => [route, body.SentAfter, body.SentBefore])).toEqual([
      ['StartMessageMoveTask', 1000, 2000],
      ['dlqs/dlq/archive', 1000, 2000],
      ['archives/0b3a4c1e-1111-4222-8333-944445555666/replay', 1000, 2000],
    ]);
  });
});
