// `redrive dlqs` and `redrive peek <dlq>`: the DLQ inventory and a sample of a DLQ's messages (API.md section 6).
import type { CommandContext } from './commands';
import { GLOBAL_OPTIONS } from './commands';
import { accountOption, routeOf } from './org-mode';
import { integerOption, type ParsedArgs,rejectUnknown, stringOption, UsageError } from './parse-args';
import { formatDuration } from './progress-bar';
import { recoveryCell, type RecoveryEntry } from './recovery-commands';
import { formatTimestamp, oneLine, renderTable } from './render-table';
import { jsonForTerminal } from './terminal-text';
import { queueNameOf } from './wire-types';

interface DlqEntry {
  readonly QueueArn: string;
  readonly QueueName: string;
  readonly ApproximateNumberOfMessages: number;
  readonly ApproximateNumberOfMessagesNotVisible: number;
  readonly SourceQueueArns: readonly string[];
  /** API.md section 11; absent from an older account's entries in the org view */
  readonly Origin?: 'sqs' | 'lambda' | 'eventbridge';
  readonly Targets?: readonly { readonly Arn: string; readonly Kind: 'function' | 'rule-target'; readonly RuleArn?: string }[];
  readonly OldestMessageAgeSeconds?: number;
  readonly RetentionSeconds?: number;
  readonly OldestMessageExpiresAt?: string;
  readonly ActiveTask?: { readonly taskId: string; readonly Status: string; readonly ApproximateNumberOfMessagesMoved: number };
  readonly Recovery?: RecoveryEntry;
  /** the org view's entries: their account and the inventory run their figures are from */
  readonly AccountId?: string;
  readonly asOf?: string;
}

interface PeekedEntry {
  readonly MessageId: string;
  readonly Body: string;
  readonly BodyTruncated: boolean;
  readonly SentTimestamp: number;
  readonly ApproximateReceiveCount: number;
  readonly SourceArn?: string;
  readonly MessageGroupId?: string;
  readonly MessageAttributes: Readonly<Record<string, { readonly DataType: string; readonly StringValue?: string }>>;
}

const print = (ctx: CommandContext, text: string) => ctx.stdout.write(`${text}\n`);
// JSON.stringify leaves DEL, C1 and the bidi marks raw: jsonForTerminal escapes them too
const printJson = (ctx: CommandContext, value: unknown) => ctx.stdout.write(`${jsonForTerminal(value, 2)}\n`);

export async function dlqsCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'prefix', 'sort', 'limit', 'next-token', 'account']);
  const account = accountOption(ctx, args);
  // the org view filters by account, not by name prefix (API.md section 9)
  if (ctx.org && stringOption(args, 'prefix') !== undefined) throw new UsageError('--prefix is not offered by the org view: filter with --account <id>');
  const filters = { account, prefix: stringOption(args, 'prefix'), sort: stringOption(args, 'sort'), limit: stringOption(args, 'limit') };
  const { account: accountId, ...query } = filters;
  const page = await ctx.api.get<{ dlqs: DlqEntry[]; asOf?: string; nextToken?: string }>(routeOf(ctx, 'dlqs'), { ...query, accountId, nextToken: stringOption(args, 'next-token') });
  if (ctx.json) return printJson(ctx, page), 0;
  if (page.dlqs.length === 0) print(ctx, 'No dead-letter queue matches.');
  else {
    print(ctx, renderTable(
      [...(ctx.org ? ['ACCOUNT'] : []), 'DLQ', 'MESSAGES', 'IN FLIGHT', 'OLDEST', 'EXPIRES', 'ORIGIN', 'SOURCES / TARGETS', ctx.org ? 'AS OF' : 'ACTIVE REDRIVE', 'RECOVERY'],
      page.dlqs.map((dlq) => [
        ...(ctx.org ? [dlq.AccountId ?? '-'] : []),
        dlq.QueueName,
        String(dlq.ApproximateNumberOfMessages),
        String(dlq.ApproximateNumberOfMessagesNotVisible),
        dlq.OldestMessageAgeSeconds === undefined ? '-' : formatDuration(dlq.OldestMessageAgeSeconds * 1000),
        expiryCell(dlq.OldestMessageExpiresAt, Date.now()),
        dlq.Origin ?? 'sqs',
        oneLine(failsFrom(dlq), 50),
        ctx.org ? (dlq.asOf ?? '-') : dlq.ActiveTask ? `${dlq.ActiveTask.Status} ${dlq.ActiveTask.taskId} (${dlq.ActiveTask.ApproximateNumberOfMessagesMoved} moved)` : '-',
        recoveryCell(dlq.Recovery),
      ]),
    ));
  }
  if (page.dlqs.some((dlq) => expiryCell(dlq.OldestMessageExpiresAt, Date.now()).endsWith('!'))) {
    print(ctx, 'EXPIRES with "!": SQS deletes the oldest message within a day (its retention runs out).');
  }
  if (page.asOf) print(ctx, asOfLine(page.asOf, Date.now()));
  if (page.nextToken) {
    const repeat = Object.entries(filters).flatMap(([name, value]) => (value === undefined ? [] : [`--${name} ${value}`]));
    print(ctx, `More: redrive ${ctx.org ? '--org URL ' : ''}dlqs ${[...repeat, `--next-token ${page.nextToken}`].join(' ')}`);
  }
  return 0;
}

/**
 * How old the figures are. The inventory runs on its stack's schedule (every minute deployed, every
 * 5 s on the local stack by default): the CLI cannot know which, so it says how old they are instead.
 */
export function asOfLine(asOf: string, now: number): string {
  const age = now - Date.parse(asOf);
  const ago = Number.isFinite(age) ? ` (${formatDuration(age)} ago)` : '';
  return `Figures as of ${asOf}${ago}, the inventory's last run; it refreshes them on its schedule.`;
}

/**
 * When SQS deletes the DLQ's oldest message, from now: "in 3h 5m", with a "!" within a day (the
 * dashboard highlights the same), "now" once past; "-" when the inventory could not date it.
 */
export function expiryCell(expiresAt: string | undefined, now: number): string {
  if (!expiresAt) return '-';
  const left = Date.parse(expiresAt) - now;
  if (!Number.isFinite(left)) return '-';
  if (left <= 0) return 'now!';
  return `in ${formatDuration(left)}${left < 86_400_000 ? '!' : ''}`;
}

/** What fails into the DLQ, by name: its source queues, and its functions and rules' targets (`rule → target`). */
export function failsFrom(dlq: Pick<DlqEntry, 'SourceQueueArns' | 'Targets'>): string {
  const targets = (dlq.Targets ?? []).map((target) => (target.Kind === 'rule-target' && target.RuleArn ? `${nameOf(target.RuleArn)} → ${nameOf(target.Arn)}` : nameOf(target.Arn)));
  return [...(dlq.SourceQueueArns ?? []).map(queueNameOf), ...targets].join(', ');
}

/** The name in an ARN: a function's (with its qualifier), a queue's or topic's, a rule's without its bus. */
function nameOf(arn: string): string {
  const fn = arn.indexOf(':function:');
  if (fn >= 0) return arn.slice(fn + ':function:'.length);
  return arn.slice(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1);
}

export async function peekCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'max']);
  const dlq = args.positionals[0];
  if (!dlq) throw new UsageError('missing the DLQ: redrive peek <dlq> (a queue name or ARN)');
  const max = integerOption(args, 'max', 1, 100);
  const name = queueNameOf(dlq);
  const answer = await ctx.api.post<{ Messages: PeekedEntry[]; PeekedAt: string }>(`dlqs/${encodeURIComponent(name)}/peek`, max === undefined ? {} : { MaxMessages: max });
  if (ctx.json) return printJson(ctx, answer), 0;
  if (answer.Messages.length === 0) return print(ctx, `${name} held no visible message at ${answer.PeekedAt}.`), 0;
  print(ctx, `${answer.Messages.length} messages of ${name} at ${answer.PeekedAt}; every one is visible again (nothing was deleted).`);
  // grouped by the queue each failed in, oldest first within a group
  const groups = new Map<string, PeekedEntry[]>();
  for (const message of answer.Messages) {
    const key = message.SourceArn ? queueNameOf(message.SourceArn) : '(source unknown)';
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  for (const [source, messages] of groups) {
    print(ctx, `\nfrom ${terminalSafe(source)} (${messages.length})`);
    for (const message of [...messages].sort((a, b) => a.SentTimestamp - b.SentTimestamp)) {
      print(ctx, `  ${message.MessageId}  sent ${formatTimestamp(message.SentTimestamp)}  received ${message.ApproximateReceiveCount}x${message.MessageGroupId ? `  group ${terminalSafe(message.MessageGroupId)}` : ''}`);
      for (const [attribute, value] of Object.entries(message.MessageAttributes)) {
        print(ctx, `    ${terminalSafe(attribute)} (${terminalSafe(value.DataType)}): ${value.StringValue === undefined ? '(binary)' : terminalSafe(value.StringValue)}`);
      }
      print(ctx, indent(terminalSafe(prettyBody(message.Body)), '    | '));
      if (message.BodyTruncated) print(ctx, '    (body cut at 8 KiB)');
    }
  }
  return 0;
}

/** JSON bodies pretty-printed; anything else as it is. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * Control characters shown as escapes, so a body cannot move the cursor, recolour or clear the terminal,
 * nor reorder what a line reads with bidi marks; tabs and line breaks kept.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((line) => prefix + line).join('\n');
}
