import type { ApiClient } from '../../../cli/api-client';
import { type CommandContext, startCommand } from '../../../cli/commands';
import { parseArgs } from '../../../cli/parse-args';

const FLAGS = ['json', 'sign', 'help', 'version', 'dry-run', 'delete'];

/** What `redrive start <argv>` prints first (a task handle answered, the task no replay). */
async function startedLine(...argv: string[]): Promise<string> {
  const handle = Buffer.from(JSON.stringify({ taskId: '0b3a4c1e-1111-4222-8333-944445555666', sourceArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' })).toString('base64');
  const api = { post: async () => ({ TaskHandle: handle }), get: async () => ({}) } as unknown as ApiClient;
  let out = '';
  const stdout = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream;
  const ctx: CommandContext = { api, json: false, stdout, stderr: stdout };
  await startCommand(ctx, parseArgs(['arn:aws:sqs:us-east-1:123456789012:dlq', '--reason', 'the fix is in', ...argv], FLAGS));
  return out.split('\n')[0]!;
}

describe('redrive start: what it says it started', () => {
  it.each([
    ['the whole DLQ', [], 'Started a redrive of dlq.'],
    ['a filter', ['--filter', '{"tenant":["a"]}'], 'Started a redrive of the matching messages of dlq.'],
    ['--sent-after alone', ['--sent-after', '2026-12-01'], 'Started a redrive of the messages sent after 2026-12-01T00:00:00.000Z of dlq.'],
    ['--sent-before alone', ['--sent-before', '2026-12-07T12:00:00Z'], 'Started a redrive of the messages sent before 2026-12-07T12:00:00.000Z of dlq.'],
    ['a window and a filter', ['--sent-after', '2026-12-01', '--sent-before', '2026-12-02', '--max-messages', '5'], 'Started a redrive of the matching messages sent between 2026-12-01T00:00:00.000Z and 2026-12-02T00:00:00.000Z of dlq.'],
  ])('%s', async (_, argv, line) => {
    expect(await startedLine(...argv)).toBe(line);
  });
});

/** What `redrive start <argv> --dry-run` prints, the API answering 54 of 54 sampled. */
async function dryRunOutput(...argv: string[]): Promise<string> {
  const api = { post: async () => ({ Sampled: 54, Matched: 54, Unroutable: 0 }), get: async () => ({}) } as unknown as ApiClient;
  let out = '';
  const stdout = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream;
  const ctx: CommandContext = { api, json: false, stdout, stderr: stdout };
  await startCommand(ctx, parseArgs(['arn:aws:sqs:us-east-1:123456789012:dlq', '--reason', 'sample', '--dry-run', ...argv], FLAGS));
  return out;
}

describe('redrive start --dry-run: what a start would move', () => {
  it('says a start moves at most --max-messages of the matches, as the dashboard does', async () => {
    expect(await dryRunOutput('--max-messages', '10')).toBe('54 of 54 sampled match; a start moves at most 10 of them; nothing was moved.\n');
  });

  it('says nothing of a bound when none was given', async () => {
    expect(await dryRunOutput()).toBe('54 of 54 sampled match; nothing was moved.\n');
  });
});
