import type { ApiClient } from '../../../cli/api-client';
import { type CommandContext, tasksCommand } from '../../../cli/commands';
import { parseArgs } from '../../../cli/parse-args';
import type { TaskEntry } from '../../../cli/wire-types';

const SOURCE = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';

/** What `redrive tasks` prints for these records, the API answering them as GET /tasks does. */
async function tasksTable(...tasks: Partial<TaskEntry>[]): Promise<string[]> {
  const base = { SourceArn: SOURCE, Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 0, createdAt: '2026-12-07T12:00:00Z', startedBy: 'arn:aws:iam::123456789012:role/alice' };
  const api = { get: async () => ({ tasks: tasks.map((task) => ({ ...base, ...task })) }) } as unknown as ApiClient;
  let out = '';
  const stdout = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream;
  const ctx: CommandContext = { api, json: false, stdout, stderr: stdout };
  await tasksCommand(ctx, parseArgs([], ['json']));
  return out.trimEnd().split('\n');
}

describe('redrive tasks: the record, who and why', () => {
  it('names who cancelled beside why, after the start reason', async () => {
    // Act
    const [, row] = await tasksTable({ taskId: 'cancelled-one', Status: 'CANCELLED', startReason: 'replay after fix', cancelledBy: 'arn:aws:iam::123456789012:role/bob', cancelReason: 'consumer failing' });

    // Assess
    expect(row).toMatch(/^cancelled-one .*started: replay after fix; cancelled by arn:aws:iam::123456789012:role\/bob: consumer failing$/);
  });

  it('names the canceller of a cancel without a reason, and says nothing of a cancel on a task nobody cancelled', async () => {
    // Act
    const [, quiet, running] = await tasksTable(
      { taskId: 'no-reason', Status: 'CANCELLED', startReason: 'go', cancelledBy: 'ops.tooling' },
      { taskId: 'running', startReason: 'go' },
    );

    // Assess
    expect(quiet).toMatch(/^no-reason .*started: go; cancelled by ops\.tooling$/);
    expect(running).toMatch(/^running .*started: go$/);
  });
});
