// `redrive archive <dlq> --reason ... [--delete] [selection]`, `redrive archives [--queue <dlq>]` and
// `redrive archives replay <taskId> --reason ...`: the S3 archive of dead letters (API.md section 12, docs/archive.md).
import type { CommandContext } from './commands';
import { GLOBAL_OPTIONS, resolveQueue, SELECTION_OPTIONS, selectionOptions } from './commands';
import { integerOption, type ParsedArgs, rejectUnknown, stringOption, UsageError } from './parse-args';
import { oneLine, renderTable } from './render-table';
import { escapeForTerminal, jsonForTerminal } from './terminal-text';
import { queueNameOf } from './wire-types';

interface ArchiveEntry {
  readonly TaskId: string;
  readonly QueueArn: string;
  readonly Messages?: number;
  readonly Deleted: boolean;
  readonly Reason?: string;
  readonly StartedBy?: string;
  readonly CreatedAt?: string;
}

/** Starts an archive task: every message of the DLQ (or those the selection picks) to the archive; with --delete (a discard), then out of the DLQ. */
export async function archiveCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'reason', 'delete', ...SELECTION_OPTIONS, 'rate', 'dry-run']);
  const usage = 'redrive archive <dlq> --reason TEXT [--delete] [--filter POLICY [--scope body]] [--sent-after T] [--sent-before T] [--max-messages N] [--rate N] [--dry-run]';
  const [dlq] = args.positionals;
  if (!dlq) throw new UsageError(`missing the DLQ: ${usage}`);
  const reason = stringOption(args, 'reason');
  if (!reason) throw new UsageError(`missing --reason: say why, it is kept in the task's record (${usage})`);
  const remove = args.options.delete === true;
  const rate = integerOption(args, 'rate', 1, 500);
  const selection = selectionOptions(args);
  const name = queueNameOf(dlq);
  const request = { Reason: reason, ...(remove ? { Delete: true } : {}), ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }), ...selection };
  if (selection.DryRun) {
    const sample = await ctx.api.post<{ Sampled: number; Matched: number }>(`dlqs/${encodeURIComponent(name)}/archive`, request);
    if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(sample, 2)}\n`), 0;
    // as a start's dry run: a --max-messages bound is said, the task stops there
    const atMost = selection.MaxMessages === undefined ? '' : `; the task archives at most ${String(selection.MaxMessages)} of them`;
    ctx.stdout.write(`${sample.Matched} of ${sample.Sampled} sampled would be archived${atMost}; nothing was archived.\n`);
    return 0;
  }
  const answer = await ctx.api.post<{ TaskHandle: string }>(`dlqs/${encodeURIComponent(name)}/archive`, request);
  if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(answer, 2)}\n`), 0;
  ctx.stdout.write(`Archiving ${escapeForTerminal(name)}${remove ? ', each message deleted once stored' : ', every message left in the DLQ'}. Task handle ${escapeForTerminal(answer.TaskHandle)}.\n`);
  return 0;
}

/**
 * `redrive archives replay <taskId> --reason TEXT [--destination <queue>] [--filter POLICY [--scope body]] [--sent-after T] [--sent-before T] [--max-messages N] [--rate N]`:
 * each archived message back to the queue it failed in, or to --destination (POST /archives/{taskId}/replay).
 */
async function replayCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'reason', 'destination', ...SELECTION_OPTIONS, 'rate']);
  const usage = 'redrive archives replay <taskId> --reason TEXT [--destination <queue>] [--filter POLICY [--scope body]] [--sent-after T] [--sent-before T] [--max-messages N] [--rate N]';
  const [, taskId] = args.positionals;
  if (!taskId) throw new UsageError(`missing the archive's task id: ${usage}`);
  const reason = stringOption(args, 'reason');
  if (!reason) throw new UsageError(`missing --reason: say why, it is kept in the task's record (${usage})`);
  const destination = stringOption(args, 'destination');
  const rate = integerOption(args, 'rate', 1, 500);
  const request = {
    Reason: reason,
    ...(destination ? { DestinationArn: await resolveQueue(ctx, destination) } : {}),
    ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }),
    ...selectionOptions(args),
  };
  const answer = await ctx.api.post<{ TaskHandle: string }>(`archives/${encodeURIComponent(taskId)}/replay`, request);
  if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(answer, 2)}\n`), 0;
  ctx.stdout.write(`Replaying archive ${escapeForTerminal(taskId)} to ${destination ? escapeForTerminal(queueNameOf(request.DestinationArn!)) : 'the queues its messages failed in'}; the archive is not changed. Task handle ${escapeForTerminal(answer.TaskHandle)}.\n`);
  return 0;
}

/** The archive tasks, newest first (GET /archives). */
export async function archivesCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  if (args.positionals[0] === 'replay') return replayCommand(ctx, args);
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'queue']);
  const queue = stringOption(args, 'queue');
  const page = await ctx.api.get<{ archives: ArchiveEntry[]; nextToken?: string }>('archives', { queue: queue ? queueNameOf(queue) : undefined });
  if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(page, 2)}\n`), 0;
  if (page.archives.length === 0) {
    ctx.stdout.write('No archive matches.\n');
    return 0;
  }
  ctx.stdout.write(`${renderTable(
    ['TASK', 'QUEUE', 'MESSAGES', 'DELETED', 'CREATED', 'BY', 'REASON'],
    page.archives.map((entry) => [entry.TaskId, queueNameOf(entry.QueueArn), String(entry.Messages ?? 0), entry.Deleted ? 'yes' : 'no', entry.CreatedAt ?? '-', oneLine(entry.StartedBy, 40), oneLine(entry.Reason)]),
  )}\n`);
  return 0;
}
