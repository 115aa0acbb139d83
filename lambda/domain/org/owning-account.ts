import { parseQueueArn } from '../queue-arn';
import type { Params } from '../requests';
import { SqsError } from '../sqs-error';
import { parseTaskHandle } from '../task-handle';
import type { OrgAccountEndpoint, OrgDirectory } from './org-directory';

export type OrgAction = 'StartMessageMoveTask' | 'CancelMessageMoveTask' | 'ListMessageMoveTasks';

/**
 * The account an org action belongs to: the one its SourceArn names, or its TaskHandle's queue.
 * The org routes by it and decides nothing else: the account's own API applies its rules.
 */
export function owningAccount(directory: OrgDirectory, action: OrgAction, params: Params): OrgAccountEndpoint {
  const accountId = action === 'CancelMessageMoveTask' ? parseTaskHandle(params.TaskHandle).source.accountId : parseQueueArn(params.SourceArn, 'SourceArn').accountId;
  const endpoint = directory.find((entry) => entry.accountId === accountId);
  if (!endpoint) throw new SqsError('UnsupportedOperation', `Account ${accountId} is not one of the org view's accounts (${directory.map((entry) => entry.accountId).join(', ') || 'none configured'})`);
  return endpoint;
}
