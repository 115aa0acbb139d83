// `--org <org API URL>`: the same commands over the org view (API.md section 9), where every queue
// and task belongs to an account.
import { ApiError } from './api-client';
import type { CommandContext } from './commands';
import { type ParsedArgs, stringOption, UsageError } from './parse-args';

/** The commands the org API serves; the others need one account's API (`--api`). */
export const ORG_COMMANDS: readonly string[] = ['tasks', 'dlqs', 'start', 'list', 'cancel', 'dashboard'];

/** `tasks` → `org/tasks`, `CancelMessageMoveTask` → `org/CancelMessageMoveTask` under --org. */
export function routeOf(ctx: CommandContext, path: string): string {
  return ctx.org ? `org/${path}` : path;
}

/** `--account <id>` only means something to the org API: an account's own API has one account. */
export function accountOption(ctx: CommandContext, args: ParsedArgs): string | undefined {
  const account = stringOption(args, 'account');
  if (account === undefined) return undefined;
  if (!ctx.org) throw new UsageError('--account needs --org <org API URL> (an account API serves one account)');
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--account must be a 12-digit AWS account id, got "${account}"`);
  return account;
}

/** The account an SQS ARN names (`arn:aws:sqs:<region>:<account>:<name>`). */
export function accountOfArn(arn: string | undefined): string {
  return arn?.split(':')[4] || '-';
}

/** A queue of the same account and region as `sibling` (a redrive never leaves its account). */
export function siblingArn(sibling: string, name: string): string {
  const parts = sibling.split(':');
  return [...parts.slice(0, 5), name].join(':');
}

interface OrgDlq {
  readonly QueueArn: string;
  readonly QueueName: string;
  readonly AccountId: string;
}

/** A DLQ named without its ARN is looked up in the org view: it must be one queue in one account. */
export async function resolveOrgDlq(ctx: CommandContext, name: string, account: string | undefined): Promise<string> {
  const found: OrgDlq[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.api.get<{ dlqs: OrgDlq[]; nextToken?: string }>('org/dlqs', { accountId: account, sort: 'name', limit: '1000', nextToken });
    found.push(...page.dlqs.filter((dlq) => dlq.QueueName === name));
    nextToken = page.nextToken;
  } while (nextToken);
  const where = account ? ` in account ${account}` : '';
  if (found.length === 0) throw new ApiError(`no DLQ${where} is named "${name}" in the org view; \`redrive --org URL dlqs\` lists them, or pass a queue ARN`, 'UnknownQueue', 0);
  if (found.length > 1) {
    throw new ApiError(`"${name}" names a DLQ in accounts ${found.map((dlq) => dlq.AccountId).join(', ')}: pass --account <id> or the queue ARN`, 'AmbiguousQueue', 0);
  }
  return found[0]!.QueueArn;
}

/** One line saying where an org action went. */
export function inAccount(ctx: CommandContext, arn: string): string {
  return ctx.org ? ` in account ${accountOfArn(arn)}` : '';
}
