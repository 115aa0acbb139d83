// `redrive hold <dlq> --reason` and `redrive release <dlq> --reason`: a DLQ's recovery (API.md section 8).
import type { CommandContext } from './commands';
import { GLOBAL_OPTIONS } from './commands';
import { type ParsedArgs, rejectUnknown, stringOption, UsageError } from './parse-args';
import { oneLine } from './render-table';
import { jsonForTerminal } from './terminal-text';
import { queueNameOf } from './wire-types';

/** GET /dlqs's Recovery, as the CLI shows it. */
export interface RecoveryEntry {
  readonly State: string;
  readonly Since: string;
  readonly Reason: string;
  readonly NextActionAt?: string;
  readonly CurrentRate?: number;
  readonly RunId?: string;
}

/** One cell: the state, its rate while recovering, and what happens next. */
export function recoveryCell(recovery: RecoveryEntry | undefined): string {
  if (!recovery) return '-';
  const rate = recovery.CurrentRate === undefined ? '' : ` ${recovery.CurrentRate}/s`;
  const next = recovery.NextActionAt ? `, next ${recovery.NextActionAt}` : '';
  return `${recovery.State}${rate}${next}`;
}

export function holdCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  return changeHold(ctx, args, 'hold');
}

export function releaseCommand(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  return changeHold(ctx, args, 'release');
}

async function changeHold(ctx: CommandContext, args: ParsedArgs, action: 'hold' | 'release'): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'reason']);
  const dlq = args.positionals[0];
  if (!dlq) throw new UsageError(`missing the DLQ: redrive ${action} <dlq> --reason TEXT (a queue name or ARN)`);
  const reason = stringOption(args, 'reason')?.trim();
  if (!reason) throw new UsageError(`missing --reason: say why you ${action} the recovery; it is kept in its record and its event`);
  const name = queueNameOf(dlq);
  const answer = await ctx.api.post<{ QueueArn: string; Recovery: RecoveryEntry }>(`dlqs/${encodeURIComponent(name)}/recovery`, { Action: action, Reason: reason });
  if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(answer, 2)}\n`), 0;
  ctx.stdout.write(`${name}: recovery ${answer.Recovery.State} since ${answer.Recovery.Since} (${oneLine(answer.Recovery.Reason, 120)})\n`);
  return 0;
}
