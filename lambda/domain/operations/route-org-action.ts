// org API POST /org/<Action> --> routeOrgAction --> the owning account's own API (signed as the org role)
import type { OrgDirectory } from '../org/org-directory';
import type { AccountApi, AccountApiAnswer } from '../org/org-ports';
import { type OrgAction, owningAccount } from '../org/owning-account';
import type { Params } from '../requests';
import { SqsError } from '../sqs-error';

/**
 * Sends one action to the account it belongs to, once (a start or cancel is not idempotent: a blind
 * retry could be refused or act twice). The account's answers to the caller's request (its 400s)
 * come back as they are; an account that does not answer, refuses the org (401/403) or fails (5xx)
 * is a 503 naming it. Other accounts are never called.
 */
export async function routeOrgAction(deps: { readonly directory: OrgDirectory; readonly accounts: AccountApi }, action: OrgAction, params: Params, caller: string): Promise<AccountApiAnswer & { readonly accountId: string }> {
  const account = owningAccount(deps.directory, action, params);
  const unavailable = (why: string, cause?: unknown) =>
    new SqsError('ServiceUnavailable', `Account ${account.accountId}'s API ${why}; nothing was done in it by the org view. Other accounts are unaffected`, 503, cause === undefined ? undefined : { cause });
  let answer: AccountApiAnswer;
  try {
    answer = await deps.accounts.send(account, action, params, caller);
  } catch (error) {
    throw unavailable(`did not answer (${error instanceof Error ? error.message : String(error)})`, error);
  }
  if (answer.status === 401 || answer.status === 403) throw unavailable(`refused the org's request (${answer.status}): its configuration must allow the org role`);
  // a 5xx may hide an action that was taken: the caller checks GET /org/tasks before trying again
  if (answer.status >= 500) throw unavailable(`failed (${answer.status}); check GET /org/tasks?accountId=${account.accountId} before trying again`);
  return { ...answer, accountId: account.accountId };
}
