import { quote, SqsError } from '../sqs-error';
import type { DeadLetterQueue } from './dead-letter-queue';

/**
 * GET /dlqs: which DLQs, in which order, from where. Orders (API.md section 6):
 * - `messages`: most messages first (the default: the DLQs that need attention);
 * - `name`: by queue name;
 * - `age`: oldest message first; DLQs without a known age last.
 * Ties fall back to the queue name, then the ARN, so every order is total and a cursor names one place.
 */
export const DLQ_SORTS = ['messages', 'name', 'age'] as const;
export type DlqSort = (typeof DLQ_SORTS)[number];

export interface DlqQuery {
  readonly limit: number;
  readonly sort: DlqSort;
  readonly prefix?: string;
  /** the last entry of the previous page, in the query's order */
  readonly after?: DlqCursor;
}

/** A position in one order: the previous page's last entry's sort value and name. */
interface DlqCursor {
  readonly value: number;
  readonly name: string;
  readonly arn: string;
}

export const DEFAULT_DLQ_LIMIT = 100;
export const MAX_DLQ_LIMIT = 1000;
const QUERY_FIELDS = ['limit', 'nextToken', 'prefix', 'sort'];
const PREFIX = /^[A-Za-z0-9_.-]{1,80}$/;

export function parseDlqQuery(query: Readonly<Record<string, string>>): DlqQuery {
  for (const name of Object.keys(query)) {
    if (!QUERY_FIELDS.includes(name)) throw new SqsError('InvalidParameterValue', `GET /dlqs does not take ${quote(name)}; it takes ${QUERY_FIELDS.join(', ')}`);
  }
  const limitText = query.limit;
  let limit = DEFAULT_DLQ_LIMIT;
  if (limitText !== undefined) {
    limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_DLQ_LIMIT)) throw new SqsError('InvalidParameterValue', `limit must be an integer from 1 to ${MAX_DLQ_LIMIT}, got ${quote(limitText)}`);
  }
  const sortText = query.sort ?? 'messages';
  if (!(DLQ_SORTS as readonly string[]).includes(sortText)) {
    throw new SqsError('InvalidParameterValue', `sort must be one of ${DLQ_SORTS.join(', ')}, got ${quote(sortText)}`);
  }
  const sort = sortText as DlqSort;
  const prefix = query.prefix === undefined ? undefined : checkDlqPrefix(query.prefix);
  const after = query.nextToken === undefined ? undefined : decodeCursor(query.nextToken, sort, prefix);
  return { limit, sort, ...(prefix ? { prefix } : {}), ...(after ? { after } : {}) };
}

/** A queue-name prefix as GET /dlqs and GET /org/dlqs take it. */
export function checkDlqPrefix(prefix: string): string {
  if (!PREFIX.test(prefix)) throw new SqsError('InvalidParameterValue', `prefix must be the start of a queue name (1 to 80 of A-Z a-z 0-9 _ - .), got ${quote(prefix)}`);
  return prefix;
}

/** One page of `dlqs` in the query's order, after its cursor. */
export function pageDlqs<T extends DeadLetterQueue>(dlqs: readonly T[], query: DlqQuery): { dlqs: T[]; nextToken?: string } {
  const matching = query.prefix ? dlqs.filter((dlq) => dlq.queueName.startsWith(query.prefix!)) : [...dlqs];
  const ordered = matching.map((dlq) => ({ dlq, key: keyOf(dlq, query.sort) })).sort((a, b) => compareKeys(a.key, b.key));
  const start = query.after ? ordered.findIndex((entry) => compareKeys(entry.key, query.after!) > 0) : 0;
  const page = start < 0 ? [] : ordered.slice(start, start + query.limit);
  const last = page[page.length - 1];
  const more = start >= 0 && start + query.limit < ordered.length;
  return { dlqs: page.map((entry) => entry.dlq), ...(more && last ? { nextToken: encodeCursor(last.key, query.sort, query.prefix) } : {}) };
}

/** Sort keys as numbers ascending: `messages` negated (most first), `age` negated with unknown after every known age. */
function keyOf(dlq: DeadLetterQueue, sort: DlqSort): DlqCursor {
  const value =
    sort === 'messages' ? -dlq.approximateNumberOfMessages : sort === 'age' ? (dlq.oldestMessageAgeSeconds === undefined ? 1 : -dlq.oldestMessageAgeSeconds) : 0;
  return { value, name: dlq.queueName, arn: dlq.queueArn };
}

function compareKeys(a: DlqCursor, b: DlqCursor): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0;
}

// Tokens are base64url JSON of the cursor, bound to the order and prefix they page: positions, not
// offsets, so a page stays right when the inventory is rebuilt between two pages.
function encodeCursor(cursor: DlqCursor, sort: DlqSort, prefix: string | undefined): string {
  return Buffer.from(JSON.stringify({ s: sort, p: prefix ?? '', v: cursor.value, n: cursor.name, a: cursor.arn }), 'utf8').toString('base64url');
}

function decodeCursor(token: string, sort: DlqSort, prefix: string | undefined): DlqCursor {
  const invalid = () => new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous GET /dlqs answer with the same sort and prefix');
  if (token.length > 1024) throw invalid();
  let parsed: { s?: unknown; p?: unknown; v?: unknown; n?: unknown; a?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.s !== sort || parsed.p !== (prefix ?? '')) throw invalid();
  if (typeof parsed.v !== 'number' || !Number.isFinite(parsed.v) || typeof parsed.n !== 'string' || typeof parsed.a !== 'string') throw invalid();
  return { value: parsed.v, name: parsed.n, arn: parsed.a };
}
