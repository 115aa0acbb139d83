import type { ApiClient } from '../../../cli/api-client';
import { archiveCommand } from '../../../cli/archive-commands';
import type { CommandContext } from '../../../cli/commands';
import { parseArgs } from '../../../cli/parse-args';

/** What `redrive archive orders-dlq --dry-run <argv>` prints, the API answering 54 of 54 sampled. */
async function dryRunOutput(...argv: string[]): Promise<string> {
  const api = { post: async () => ({ Sampled: 54, Matched: 54 }) } as unknown as ApiClient;
  let out = '';
  const stdout = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream;
  const ctx: CommandContext = { api, json: false, stdout, stderr: stdout };
  await archiveCommand(ctx, parseArgs(['orders-dlq', '--reason', 'keep them', '--dry-run', ...argv], ['json', 'dry-run', 'delete']));
  return out;
}

describe('redrive archive --dry-run', () => {
  it('says the task archives at most --max-messages of the matches', async () => {
    expect(await dryRunOutput('--max-messages', '10')).toBe('54 of 54 sampled would be archived; the task archives at most 10 of them; nothing was archived.\n');
  });

  it('says nothing of a bound when none was given', async () => {
    expect(await dryRunOutput()).toBe('54 of 54 sampled would be archived; nothing was archived.\n');
  });
});
