// One function per `redrive` command: call the API, print a table for people or JSON for scripts.
import { type ApiClient,ApiError } from './api-client';
import { accountOfArn, accountOption, inAccount, resolveOrgDlq, routeOf, siblingArn } from './org-mode';
import { integerOption, type ParsedArgs,rejectUnknown, stringOption, timeOption, UsageError } from './parse-args';
import { formatDuration, progressLine } from './progress-bar';
import { formatTimestamp, oneLine, renderTable } from './render-table';
import { escapeControlCharacters, escapeForTerminal, jsonForTerminal } from './terminal-text';
import { FINAL_STATUSES, type ManagedQueue, type MoveTask, queueNameOf, type SampledRoute, type TaskEntry, taskIdOfHandle, type TaskPage } from './wire-types';

export interface CommandContext {
  readonly api: ApiClient;
  /** the API is the org view's (`--org`): routes under `org/`, an ACCOUNT column, `--account` */
  readonly org?: boolean;
  readonly json: boolean;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
}

/** Options every command accepts (read by bin/redrive.ts). */
export const GLOBAL_OPTIONS = ['api', 'org', 'json', 'region', 'sign', 'help'];
const print = (ctx: CommandContext, text: string) => ctx.stdout.write(`${escapeForTerminal(text)}\n`);
const printJson = (ctx: CommandContext, value: unknown) => ctx.stdout.write(`${jsonForTerminal(value, 2)}\n`);

/** A queue given by ARN is used as is; a name is looked up among the managed queues (the org view's DLQs under --org). */
export async function resolveQueue(ctx: CommandContext, queue: string, account?: string): Promise<string> {
  if (queue.startsWith('arn:')) return queue;
  if (ctx.org) return resolveOrgDlq(ctx, queue, account);
  const { queues } = await ctx.api.get<{ queues: ManagedQueue[] }>('queues');
  const found = queues.find((candidate) => candidate.QueueName === queue);
  if (!found) throw new ApiError(`no managed queue is named "${queue}"; \`redrive queues\` lists them, or pass a queue ARN`, 'UnknownQueue', 0);
  return found.QueueArn;
}

/** One policy for reasons: the CLI always asks why, as the dashboard does (api.requireReason makes the API insist too). */
function requireReason(args: ParsedArgs, usage: string): string {
  const reason = stringOption(args, 'reason')?.trim();
  if (!reason) throw new UsageError(`missing --reason: say why, it is kept in the task's record (${usage})`);
  return reason;
}

function requirePositional(args: ParsedArgs, index: number, what: string): string {
  const value = args.positionals[index];
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

export async function startCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'to', 'rate', 'reason', ...SELECTION_OPTIONS, 'dry-run', 'account']);
  const sourceName = requirePositional(args, 0, 'the DLQ to redrive: redrive start <dlq>');
  const account = accountOption(ctx, args);
  const to = stringOption(args, 'to');
  const rate = integerOption(args, 'rate', 1, 500);
  const reason = requireReason(args, 'redrive start <dlq> --reason TEXT');
  const selection = selectionOptions(args);
  const source = await resolveQueue(ctx, sourceName, account);
  const request = {
    SourceArn: source,
    ...(to ? { DestinationArn: await destinationOf(ctx, to, source) } : {}),
    ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }),
    Reason: reason,
    ...selection,
  };
  if (selection.DryRun) {
    const sample = await ctx.api.post<{ Sampled: number; Matched: number; Unroutable: number; Truncated?: boolean; Routes?: SampledRoute[] }>(routeOf(ctx, 'StartMessageMoveTask'), request);
    if (ctx.json) printJson(ctx, sample);
    else {
      print(ctx, `${sample.Matched} of ${sample.Sampled} sampled match${sample.Unroutable > 0 ? ` (${sample.Unroutable} with nowhere to go)` : ''}${sample.Truncated ? ' (the time budget ran out before the sample was whole)' : ''}${atMost(selection)}; nothing was moved.`);
      // a replay's dry run says where each sampled message would go (API.md section 11)
      if (sample.Routes && sample.Routes.length > 0) print(ctx, renderTable(['MESSAGE ID', 'FORMAT', 'GOES TO'], sample.Routes.map((route) => [route.MessageId, route.Format, route.TargetArn ? `${route.Kind} ${route.TargetArn}` : `stays: ${oneLine(route.Unroutable, 80)}`])));
    }
    return 0;
  }
  const { TaskHandle } = await ctx.api.post<{ TaskHandle: string }>(routeOf(ctx, 'StartMessageMoveTask'), request);
  const taskId = taskIdOfHandle(TaskHandle);
  if (ctx.json) printJson(ctx, { TaskHandle, taskId });
  else {
    const only = selectedPart(selection);
    // a Lambda or EventBridge DLQ is replayed to the targets its messages failed in: the record says which kind started
    const kind = taskId && !ctx.org ? (await ctx.api.get<TaskEntry>(`tasks/${encodeURIComponent(taskId)}`).catch(() => undefined))?.Kind : undefined;
    print(ctx, `Started a ${kind === 'replay' ? 'replay' : 'redrive'}${only} of ${queueNameOf(source)}${inAccount(ctx, source)}${to ? ` into ${queueNameOf(request.DestinationArn!)}` : ''}.`);
    print(ctx, `task id  ${taskId ?? '-'}\nhandle   ${TaskHandle}`);
    if (taskId) print(ctx, ctx.org ? `Follow it: redrive --org URL tasks --account ${accountOfArn(source)}` : `Follow it: redrive watch ${taskId}`);
  }
  return 0;
}

/** A dry run with --max-messages says what the start would be bounded by, as the dashboard's does. */
function atMost(selection: Record<string, unknown>): string {
  return selection.MaxMessages === undefined ? '' : `; a start moves at most ${String(selection.MaxMessages)} of them`;
}

/** " of the matching messages" / " of the messages sent after T" ...: a start that selects says so; empty for the whole DLQ. */
function selectedPart(selection: Record<string, unknown>): string {
  const matching = selection.FilterPolicy !== undefined || selection.MaxMessages !== undefined;
  const at = (value: unknown) => new Date(value as number).toISOString();
  const after = selection.SentAfter;
  const before = selection.SentBefore;
  const window = after !== undefined && before !== undefined ? ` sent between ${at(after)} and ${at(before)}`
    : after !== undefined ? ` sent after ${at(after)}`
      : before !== undefined ? ` sent before ${at(before)}` : '';
  if (!matching && window === '') return '';
  return ` of the ${matching ? 'matching ' : ''}messages${window}`;
}

/** Under --org a destination named without its ARN is in the source's account: it need not be a DLQ the org view lists. */
function destinationOf(ctx: CommandContext, to: string, source: string): Promise<string> | string {
  if (ctx.org && !to.startsWith('arn:')) return siblingArn(source, to);
  return resolveQueue(ctx, to);
}

/** The options that select messages (section 7), taken by start, archive and archives replay alike. */
export const SELECTION_OPTIONS = ['filter', 'scope', 'sent-after', 'sent-before', 'max-messages'] as const;

/** `--filter '<SNS filter policy>' [--scope body] [--sent-after T] [--sent-before T] [--max-messages N] [--dry-run]`: section 7's fields. */
export function selectionOptions(args: ParsedArgs): Record<string, unknown> {
  const filter = stringOption(args, 'filter');
  const scope = stringOption(args, 'scope');
  // bounds on each message's SentTimestamp (SentAfter, SentBefore), as the API checks them
  const sentAfter = timeOption(args, 'sent-after');
  const sentBefore = timeOption(args, 'sent-before');
  if (sentAfter !== undefined && sentBefore !== undefined && sentAfter >= sentBefore) {
    throw new UsageError(`--sent-after (${sentAfter}) must be earlier than --sent-before (${sentBefore})`);
  }
  const maxMessages = integerOption(args, 'max-messages', 1, Number.MAX_SAFE_INTEGER);
  if (scope !== undefined && scope !== 'body' && scope !== 'attributes') throw new UsageError(`--scope must be body or attributes, got "${scope}"`);
  if (scope !== undefined && filter === undefined) throw new UsageError('--scope needs --filter');
  let policy: unknown;
  if (filter !== undefined) {
    try {
      policy = JSON.parse(filter);
    } catch {
      throw new UsageError(`--filter must be an SNS filter policy in JSON, e.g. '{"tenant":["acme"]}', got ${JSON.stringify(filter.slice(0, 40))}`);
    }
  }
  return {
    ...(policy === undefined ? {} : { FilterPolicy: policy }),
    ...(scope === undefined ? {} : { FilterPolicyScope: scope === 'body' ? 'MessageBody' : 'MessageAttributes' }),
    ...(sentAfter === undefined ? {} : { SentAfter: sentAfter }),
    ...(sentBefore === undefined ? {} : { SentBefore: sentBefore }),
    ...(maxMessages === undefined ? {} : { MaxMessages: maxMessages }),
    ...(args.options['dry-run'] === true ? { DryRun: true } : {}),
  };
}

export async function listCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'max', 'account']);
  const sourceName = requirePositional(args, 0, 'the DLQ: redrive list <dlq>');
  const max = integerOption(args, 'max', 1, 10) ?? 10;
  const source = await resolveQueue(ctx, sourceName, accountOption(ctx, args));
  const { Results } = await ctx.api.post<{ Results: MoveTask[] }>(routeOf(ctx, 'ListMessageMoveTasks'), { SourceArn: source, MaxResults: max });
  if (ctx.json) return printJson(ctx, { Results }), 0;
  if (Results.length === 0) return print(ctx, `No redrive of ${queueNameOf(source)}${inAccount(ctx, source)} is known to SQS.`), 0;
  print(ctx, renderTable(
    [...(ctx.org ? ['ACCOUNT'] : []), 'STATUS', 'MOVED', 'TO MOVE', 'RATE', 'STARTED', 'DESTINATION', 'HANDLE / FAILURE'],
    Results.map((task) => [
      ...(ctx.org ? [accountOfArn(task.SourceArn ?? source)] : []),
      task.Status,
      String(task.ApproximateNumberOfMessagesMoved ?? 0),
      task.ApproximateNumberOfMessagesToMove === undefined ? '-' : String(task.ApproximateNumberOfMessagesToMove),
      task.MaxNumberOfMessagesPerSecond ? `${task.MaxNumberOfMessagesPerSecond}/s` : 'default',
      formatTimestamp(task.StartedTimestamp),
      task.DestinationArn ? queueNameOf(task.DestinationArn) : '(source queues)',
      task.TaskHandle ?? oneLine(task.FailureReason),
    ]),
  ));
  return 0;
}

export async function cancelCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'queue', 'reason', 'account']);
  const queue = stringOption(args, 'queue');
  const account = accountOption(ctx, args);
  const given = args.positionals[0];
  if (queue && given) throw new UsageError('give either a task handle or --queue <dlq>, not both');
  if (!queue && !given) throw new UsageError('missing the task handle: redrive cancel <handle> or redrive cancel --queue <dlq>');
  const reason = requireReason(args, 'redrive cancel <handle> --reason TEXT');
  let handle: string | undefined = given;
  if (queue) {
    const sourceArn = await resolveQueue(ctx, queue, account);
    // SQS's own view is current, and it names a handle only while the task is RUNNING
    const { Results } = await ctx.api.post<{ Results: MoveTask[] }>(routeOf(ctx, 'ListMessageMoveTasks'), { SourceArn: sourceArn, MaxResults: 1 });
    handle = Results[0]?.TaskHandle;
    if (!handle) throw new ApiError(`no redrive of ${queueNameOf(sourceArn)} is RUNNING`, 'NoActiveTask', 0);
  }
  if (!handle) throw new UsageError('missing the task handle: redrive cancel <handle> or redrive cancel --queue <dlq>');
  const result = await ctx.api.post<{ ApproximateNumberOfMessagesMoved: number }>(routeOf(ctx, 'CancelMessageMoveTask'), {
    TaskHandle: handle,
    Reason: reason,
  });
  const taskId = taskIdOfHandle(handle);
  if (ctx.json) printJson(ctx, { ...result, TaskHandle: handle, taskId });
  else print(ctx, `Cancelling task ${taskId ?? handle}: ${result.ApproximateNumberOfMessagesMoved} messages had moved.`);
  return 0;
}

export async function tasksCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'queue', 'status', 'limit', 'next-token', 'account']);
  const queue = stringOption(args, 'queue');
  const account = accountOption(ctx, args);
  const page = await ctx.api.get<TaskPage>(routeOf(ctx, 'tasks'), {
    ...(account ? { accountId: account } : {}),
    sourceArn: queue ? await resolveQueue(ctx, queue, account) : undefined,
    status: stringOption(args, 'status')?.toUpperCase(),
    limit: stringOption(args, 'limit'),
    nextToken: stringOption(args, 'next-token'),
  });
  if (ctx.json) return printJson(ctx, page), 0;
  if (page.tasks.length === 0) print(ctx, 'No recorded redrive matches.');
  else {
    print(ctx, renderTable(
      [...(ctx.org ? ['ACCOUNT'] : []), 'TASK ID', 'QUEUE', 'STATUS', 'KIND', 'MOVED', 'STARTED', 'STARTED BY', 'WHY'],
      page.tasks.map((task) => [
        ...(ctx.org ? [task.AccountId ?? accountOfArn(task.SourceArn)] : []),
        task.taskId,
        queueNameOf(task.SourceArn),
        task.Status,
        task.Kind ?? 'native',
        String(task.ApproximateNumberOfMessagesMoved ?? 0),
        formatTimestamp(task.StartedTimestamp),
        oneLine(task.startedBy, 40),
        whyOf(task),
      ]),
    ));
  }
  if (page.nextToken) {
    // a token only pages the query it came from: repeat the filters with it
    const filters = ['account', 'queue', 'status', 'limit'].flatMap((name) => {
      const value = stringOption(args, name);
      return value === undefined ? [] : [`--${name} ${shellQuote(value)}`];
    });
    print(ctx, `More: redrive ${ctx.org ? '--org URL ' : ''}tasks ${[...filters, `--next-token ${page.nextToken}`].join(' ')}`);
  }
  return 0;
}

/** The start reason stays visible beside who cancelled and why, and a failure says why SQS failed it. */
function whyOf(task: TaskEntry): string {
  const parts = [
    task.startReason ? `started: ${oneLine(task.startReason, 60)}` : undefined,
    cancelPart(task),
    task.Status === 'FAILED' ? `failed: ${oneLine(task.FailureReason ?? 'no reason given', 80)}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join('; ') : '-';
}

/** "cancelled by <who>: <why>", either part alone when the record has only that one. */
function cancelPart(task: TaskEntry): string | undefined {
  if (!task.cancelledBy && !task.cancelReason) return undefined;
  return `cancelled${task.cancelledBy ? ` by ${oneLine(task.cancelledBy, 60)}` : ''}${task.cancelReason ? `: ${oneLine(task.cancelReason, 60)}` : ''}`;
}

/** SQS redrives out of DLQs only: say which listed queues are sources, so nobody tries to redrive one. */
function roleOf(queue: ManagedQueue): string {
  if (queue.RedriveRole === 'dlq') return 'DLQ';
  if (queue.RedriveRole === 'source') return `source (DLQ ${queueNameOf(queue.DeadLetterTargetArn ?? '')})`;
  return '-';
}

export async function queuesCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, GLOBAL_OPTIONS);
  const page = await ctx.api.get<{ queues: ManagedQueue[]; truncated: boolean }>('queues');
  if (ctx.json) return printJson(ctx, page), 0;
  print(ctx, renderTable(
    ['QUEUE', 'ROLE', 'MESSAGES', 'IN FLIGHT', 'ARN'],
    page.queues.map((queue) => [queue.QueueName, roleOf(queue), String(queue.ApproximateNumberOfMessages), String(queue.ApproximateNumberOfMessagesNotVisible), queue.QueueArn]),
  ));
  if (page.truncated) print(ctx, `Showing the first ${page.queues.length} managed queues.`);
  return 0;
}

/**
 * Polls the task's record and SQS's live view until the task ends. Exits 0 when it completed or
 * was cancelled, 1 when it failed.
 */
export async function watchCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'interval']);
  const taskId = requirePositional(args, 0, 'the task id: redrive watch <taskId> (see redrive tasks)');
  const interval = integerOption(args, 'interval', 200, 60_000) ?? 1000;
  const tty = !ctx.json && ctx.stdout.isTTY === true;
  let last = '';
  for (;;) {
    const task = await currentView(ctx, taskId);
    const line = progressLine(task, Date.now());
    const final = FINAL_STATUSES.includes(task.Status);
    if (ctx.json) {
      const snapshot = jsonForTerminal(task);
      if (snapshot !== last) ctx.stdout.write(`${snapshot}\n`);
      last = snapshot;
    } else if (tty) {
      ctx.stdout.write(`\r\u001b[2K${escapeControlCharacters(line)}`);
    } else if (line.replace(/elapsed .*/, '') !== last) {
      print(ctx, line);
      last = line.replace(/elapsed .*/, '');
    }
    if (final) {
      if (tty) ctx.stdout.write('\n');
      if (!ctx.json) {
        const took = task.StartedTimestamp ? ` after ${formatDuration(Date.now() - task.StartedTimestamp)}` : '';
        const unroutable = task.NumberOfMessagesUnroutable ? `, ${task.NumberOfMessagesUnroutable} kept in the DLQ with nowhere to go` : '';
        print(ctx, `Task ${taskId} ${task.Status}${took}: ${task.ApproximateNumberOfMessagesMoved ?? 0} messages ${task.Kind === 'replay' ? 'replayed' : 'moved'}${unroutable}.`);
      }
      if (task.Status === 'FAILED') {
        ctx.stderr.write(`redrive: task ${taskId} FAILED: ${escapeControlCharacters(task.FailureReason ?? 'no reason given')}\n`);
        return 1;
      }
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * The record says which queue and who; while the task is active SQS's ListMessageMoveTasks is the
 * current word on progress (the record catches up when the reconciler runs). A queue has one active
 * task, so the newest one SQS lists is this task unless its handle says otherwise.
 */
async function currentView(ctx: CommandContext, taskId: string): Promise<TaskEntry> {
  const record = await ctx.api.get<TaskEntry>(`tasks/${encodeURIComponent(taskId)}`);
  if (FINAL_STATUSES.includes(record.Status)) return record;
  const { Results } = await ctx.api.post<{ Results: MoveTask[] }>('ListMessageMoveTasks', { SourceArn: record.SourceArn, MaxResults: 1 });
  const newest = Results[0];
  const sameTask = newest && (!newest.TaskHandle || !record.TaskHandle || newest.TaskHandle === record.TaskHandle) &&
    (newest.StartedTimestamp ?? 0) >= Date.parse(record.createdAt) - 60_000;
  return sameTask ? { ...record, ...newest, TaskHandle: record.TaskHandle ?? newest.TaskHandle } : record;
}

/** Quotes a value for a shell only when it needs it. */
function shellQuote(value: string): string {
  return /^[\w.:/*@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
