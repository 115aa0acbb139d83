// `redrive archive <dlq> --reason ... [--delete]` and `redrive archives [--queue <dlq>]`: the S3 archive of dead letters (API.md section 12, docs/archive.md).
import type { CommandContext } from './commands';
import { GLOBAL_OPTIONS } from './commands';
import { type ParsedArgs, rejectUnknown, stringOption, UsageError } from './parse-args';
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

/** Starts an archive task: every message of the DLQ to the archive; with --delete (a discard), then out of the DLQ. */
export async function archiveCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'reason', 'delete']);
  const usage = 'redrive archive <dlq> --reason TEXT [--delete]';
  const [dlq] = args.positionals;
  if (!dlq) throw new UsageError(`missing the DLQ: ${usage}`);
  const reason = stringOption(args, 'reason');
  if (!reason) throw new UsageError(`missing --reason: say why, it is kept in the task's record (${usage})`);
  const remove = args.options.delete === true;
  const name = queueNameOf(dlq);
  const answer = await ctx.api.post<{ TaskHandle: string }>(`dlqs/${encodeURIComponent(name)}/archive`, { Reason: reason, ...(remove ? { Delete: true } : {}) });
  if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(answer, 2)}\n`), 0;
  ctx.stdout.write(`Archiving ${escapeForTerminal(name)}${remove ? ', each message deleted once stored' : ', every message left in the DLQ'}. Task handle ${escapeForTerminal(answer.TaskHandle)}.\n`);
  return 0;
}

/** The archive tasks, newest first (GET /archives). */
export async function archivesCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
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
