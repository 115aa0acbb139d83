// GET /archives, GET /archives/{taskId}/messages --> task table (archive tasks) --> archive bucket (their objects)
import { type ArchiveLine, archivePrefix } from '../archive/archive-line';
import { type ArchiveStore, ArchiveStoreError } from '../archive/archive-store';
import { CORRUPT_OBJECT, readArchiveObject } from '../archive/read-archive-object';
import type { ControllerDependencies } from '../ports';
import { queueArnOfName } from '../queue-arn';
import { MAX_NEXT_TOKEN_LENGTH, type Params } from '../requests';
import { quote, SqsError } from '../sqs-error';
import { type TaskRecord, writesArchive } from '../task-record';
import { getTask } from './read-tasks';

/** Task-table pages one listing reads at most while it looks for archive tasks among the others. */
const MAX_PAGES = 5;
const TABLE_PAGE = 100;
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;
export const DEFAULT_ARCHIVE_MESSAGES = 100;
export const MAX_ARCHIVE_MESSAGES = 1000;

export interface ArchivePage {
  readonly archives: TaskRecord[];
  readonly nextToken?: string;
}

/** The archive tasks, newest first (of one DLQ with `queue`): read from the task table, a few pages at most per call. */
export async function listArchives(deps: ControllerDependencies, params: Params): Promise<ArchivePage> {
  const queue = params.queue;
  if (queue !== undefined && (typeof queue !== 'string' || !QUEUE_NAME.test(queue))) throw new SqsError('InvalidParameterValue', `queue must name a queue, got ${quote(queue)}`);
  const limit = integer(params.limit, 'limit', 1, 100) ?? 25;
  let nextToken = token(params.nextToken);
  const archives: TaskRecord[] = [];
  for (let page = 0; page < MAX_PAGES && archives.length < limit; page += 1) {
    const answer = await deps.store.query({
      ...(queue ? { sourceArn: queueArnOfName(deps.scope.region, deps.scope.accountId, queue) } : {}),
      limit: TABLE_PAGE,
      ...(nextToken ? { nextToken } : {}),
    });
    archives.push(...answer.tasks.filter(writesArchive));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  // every archive task of the table pages read is answered (at most a table page past the limit): the next call goes on after them
  return { archives, ...(nextToken ? { nextToken } : {}) };
}

export interface ArchivedMessagesPage {
  readonly messages: ArchiveLine[];
  readonly nextToken?: string;
}

/** Where the next page starts: listed after `a` (exclusive), `s` lines of the first object already answered. */
interface MessagesToken {
  readonly a?: string;
  readonly s: number;
}

/** One archive task's messages, in the order written, read from the objects under its prefix (message readers only: the route checks). */
export async function readArchivedMessages(deps: ControllerDependencies, taskId: string, params: Params): Promise<ArchivedMessagesPage> {
  const limit = integer(params.limit, 'limit', 1, MAX_ARCHIVE_MESSAGES) ?? DEFAULT_ARCHIVE_MESSAGES;
  const start = messagesToken(params.nextToken);
  const record = await getTask(deps, taskId);
  if (!writesArchive(record)) throw new SqsError('InvalidParameterValue', `Task ${taskId} is no archive task (its Kind is ${record.kind ?? 'native'})`);
  if (!deps.archive) throw new SqsError('UnsupportedOperation', 'This deployment has no archive bucket');
  const prefix = archivePrefix(record.sourceArn, record.taskId, new Date(record.createdAt));
  const messages: ArchiveLine[] = [];
  let after = start.a;
  let skip = start.s;
  for (;;) {
    const { keys, more } = await deps.archive.list(prefix, { max: Math.min(1000, limit), ...(after ? { after } : {}) });
    for (const key of keys) {
      const lines = (await readObject(deps.archive, taskId, key)).slice(skip);
      const room = limit - messages.length;
      if (lines.length > room) {
        messages.push(...lines.slice(0, room));
        return { messages, nextToken: encodeToken({ ...(after ? { a: after } : {}), s: skip + room }) };
      }
      messages.push(...lines);
      after = key;
      skip = 0;
      if (messages.length === limit) return { messages, ...(more || key !== keys.at(-1) ? { nextToken: encodeToken({ a: key, s: 0 }) } : {}) };
    }
    if (!more) return { messages };
  }
}

/**
 * An object the archive did not write as it writes is our data, not the caller's input, but no fault of
 * the controller's code either: it is answered in the API's error format (CorruptObject, naming the key,
 * the messages before it still readable page by page), never as a 500.
 */
async function readObject(store: ArchiveStore, taskId: string, key: string): Promise<ArchiveLine[]> {
  try {
    return await readArchiveObject(store, key);
  } catch (error) {
    if (!(error instanceof ArchiveStoreError) || error.code !== CORRUPT_OBJECT) throw error;
    throw new SqsError(CORRUPT_OBJECT, `Archive ${taskId} holds an object that cannot be read as the archive writes it (${error.message}); the messages before it are readable with a smaller limit`, 400, { cause: error });
  }
}

function integer(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new SqsError('InvalidParameterValue', `${name} must be an integer from ${min} to ${max}, got ${quote(value)}`);
  }
  return number;
}

function token(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NEXT_TOKEN_LENGTH) throw new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous answer');
  return value;
}

function encodeToken(value: MessagesToken): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function messagesToken(value: unknown): MessagesToken {
  const text = token(value);
  if (text === undefined) return { s: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<MessagesToken>;
    if ((parsed.a === undefined || typeof parsed.a === 'string') && Number.isInteger(parsed.s) && parsed.s! >= 0) return { ...(parsed.a ? { a: parsed.a } : {}), s: parsed.s! };
  } catch {
    // answered below
  }
  throw new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous answer');
}
