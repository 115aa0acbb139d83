import { checkDlqPrefix } from '../dlq/dlq-query';
import { tryParseQueueArn } from '../queue-arn';
import { quote, SqsError } from '../sqs-error';
import { isTaskStatus, TaskStatus } from '../task-status';
import type { OrgDlqQuery, OrgDlqSort, OrgTaskQuery } from './org-ports';

const TASK_FIELDS = ['accountId', 'status', 'sourceArn', 'limit', 'nextToken'];
const DLQ_FIELDS = ['accountId', 'sort', 'prefix', 'limit', 'nextToken'];
const ORG_DLQ_SORTS: readonly OrgDlqSort[] = ['messages', 'name', 'age'];

/** GET /org/tasks' query: the filters of GET /tasks plus accountId; limit 1..100, default 25. */
export function parseOrgTaskQuery(query: Readonly<Record<string, string>>): OrgTaskQuery {
  refuseUnknown('GET /org/tasks', query, TASK_FIELDS);
  const { accountId, status, sourceArn, nextToken } = query;
  if (status !== undefined && !isTaskStatus(status)) throw new SqsError('InvalidParameterValue', `status must be one of ${Object.values(TaskStatus).join(', ')}, got ${quote(status)}`);
  if (sourceArn !== undefined && !tryParseQueueArn(sourceArn)) throw new SqsError('InvalidParameterValue', `sourceArn must be an SQS queue ARN like arn:aws:sqs:<region>:<12-digit account>:<queue name>, got ${quote(sourceArn)}`);
  return {
    limit: limitOf(query.limit, 25, 100),
    ...(accountId !== undefined ? { accountId: accountIdOf(accountId) } : {}),
    ...(status ? { status } : {}),
    ...(sourceArn ? { sourceArn } : {}),
    ...(nextToken ? { nextToken } : {}),
  };
}

/** GET /org/dlqs' query: accountId, sort (messages, the default, name or age), prefix (queue name), limit 1..1000, default 100. */
export function parseOrgDlqQuery(query: Readonly<Record<string, string>>): OrgDlqQuery {
  refuseUnknown('GET /org/dlqs', query, DLQ_FIELDS);
  const sort = query.sort ?? 'messages';
  if (!(ORG_DLQ_SORTS as readonly string[]).includes(sort)) {
    throw new SqsError('InvalidParameterValue', `sort must be one of ${ORG_DLQ_SORTS.join(', ')}, got ${quote(sort)}`);
  }
  return {
    sort: sort as OrgDlqSort,
    ...(query.prefix !== undefined ? { prefix: checkDlqPrefix(query.prefix) } : {}),
    limit: limitOf(query.limit, 100, 1000),
    ...(query.accountId !== undefined ? { accountId: accountIdOf(query.accountId) } : {}),
    ...(query.nextToken ? { nextToken: query.nextToken } : {}),
  };
}

export function accountIdOf(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new SqsError('InvalidParameterValue', `accountId must be a 12-digit AWS account id, got ${quote(value)}`);
  return value;
}

function limitOf(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= max)) throw new SqsError('InvalidParameterValue', `limit must be an integer from 1 to ${max}, got ${quote(text)}`);
  return limit;
}

/** GET /org/accounts takes no query: a filter it would ignore is refused rather than silently dropped. */
export function refuseOrgAccountsQuery(query: Readonly<Record<string, string>>): void {
  refuseUnknown('GET /org/accounts', query, []);
}

function refuseUnknown(route: string, query: Readonly<Record<string, string>>, fields: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!fields.includes(name)) throw new SqsError('InvalidParameterValue', `${route} does not take ${quote(name)}; ${fields.length ? `it takes ${fields.join(', ')}` : 'it takes no query'}`);
  }
}
