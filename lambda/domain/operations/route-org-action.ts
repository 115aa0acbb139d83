// org API POST /org/<Action> --> routeOrgAction --> the owning account's own API (signed as the org role)
import { AccountApiUnreachable } from '../org/account-api-unreachable';
import type { OrgDirectory } from '../org/org-directory';
import type { AccountApi, AccountApiAnswer } from '../org/org-ports';
import { type OrgAction, owningAccount } from '../org/owning-account';
import type { Params } from '../requests';
import { SqsError } from '../sqs-error';

/**
 * Sends one action to the account it belongs to, once (a start or cancel is not idempotent: a blind
 * retry could be refused or act twice). The account's own answers to the caller's request (its 400s,
 * and its function's 403s refusing the person or a DryRun, in SQS's error format) come back as they are. Anything else is an error naming the account, which
 * says whether the action may have been taken: a refused connection, a refusal of the org role
 * (401/403) or a throttle (429) took none; a timeout or a failure (5xx) may have.
 * Other accounts are never called.
 */
export async function routeOrgAction(deps: { readonly directory: OrgDirectory; readonly accounts: AccountApi }, action: OrgAction, params: Params, caller: string): Promise<AccountApiAnswer & { readonly accountId: string }> {
  const account = owningAccount(deps.directory, action, params);
  const api = `Account ${account.accountId}'s API`;
  const untouched = 'nothing was done in it by the org view. Other accounts are unaffected';
  const unknown = `the action may have been taken: check GET /org/tasks?accountId=${account.accountId} before trying again. Other accounts are unaffected`;
  let answer: AccountApiAnswer;
  try {
    answer = await deps.accounts.send(account, action, params, caller);
  } catch (error) {
    const mayHaveActed = !(error instanceof AccountApiUnreachable) || error.mayHaveActed;
    const why = error instanceof Error ? error.message : String(error);
    throw new SqsError('ServiceUnavailable', `${api} ${why}; ${mayHaveActed ? unknown : untouched}`, 503, { cause: error });
  }
  if (answer.status >= 200 && answer.status < 300) return { ...answer, accountId: account.accountId };
  // the account's function refusing the person the org named (or a non-reader's DryRun) speaks in SQS's format, API Gateway's own 403 does not
  if (answer.status === 403 && isSqsError(answer.body)) return { ...answer, accountId: account.accountId };
  if (answer.status === 401 || answer.status === 403) throw new SqsError('ServiceUnavailable', `${api} refused the org's request (${answer.status}): its configuration must allow the org role; ${untouched}`, 503);
  if (answer.status === 429) throw new SqsError('RequestThrottled', `${api} is throttling the org's requests (429); ${untouched}. Try again shortly`, 503);
  if (answer.status >= 500) throw new SqsError('ServiceUnavailable', `${api} failed (${answer.status}); ${unknown}`, 503);
  // a 4xx in SQS's error format is the account's rules speaking to the caller; any other is the gateway's
  if (isSqsError(answer.body)) return { ...answer, accountId: account.accountId };
  throw new SqsError('ServiceUnavailable', `${api} answered ${answer.status} without an SQS error (${excerpt(answer.body)}): check its ApiUrl in the org configuration; ${untouched}`, 503);
}

function isSqsError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { __type?: unknown }).__type === 'string';
  } catch {
    return false;
  }
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || 'an empty body';
}
