// adapter --> listManagedQueues --> SQS ListQueues (by name prefix) --> GetQueueAttributes per managed queue
import type { ControllerDependencies, QueueListing } from '../ports';
import { type QueueRole,queueRoles } from '../queue-role';

/** GET /queues answers at most this many queues: one GetQueueAttributes call each. */
export const MAX_LISTED_QUEUES = 100;
/** GetQueueAttributes calls in flight at once, to stay well under SQS's and Lambda's limits. */
const DEPTH_CONCURRENCY = 10;

export interface ManagedQueue {
  readonly queueArn: string;
  readonly queueName: string;
  readonly queueUrl: string;
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
  /** the DLQ its redrive policy names; @default - no redrive policy */
  readonly deadLetterTargetArn?: string;
  /** what it is to a redrive (see queue-role.ts); @default - the listing cannot tell */
  readonly role?: QueueRole;
}

export interface ManagedQueuePage {
  readonly queues: ManagedQueue[];
  /** more managed queues exist than were listed */
  readonly truncated: boolean;
}

/** A managed-queue pattern as a ListQueues name prefix, and the ARN partition it names. */
export interface PatternListing {
  readonly partition: string;
  /** undefined: list every queue of the account and region */
  readonly namePrefix?: string;
}

/**
 * Which ListQueues calls cover a pattern: `arn:aws:sqs:r:a:orders-*` lists prefix `orders-`, an exact
 * ARN lists its name as prefix; patterns for another account or region list nothing (ListQueues sees
 * only the caller's own). Every listed queue is still checked against the scope.
 */
export function patternListing(pattern: string, accountId: string, region: string): PatternListing | undefined {
  const parts = pattern.split(':');
  if (parts.length < 6) return { partition: parts[1] || 'aws' };
  const [, partition, , patternRegion, patternAccount] = parts as [string, string, string, string, string];
  const name = parts.slice(5).join(':');
  if (!patternRegion.endsWith('*') && patternRegion !== region) return undefined;
  if (!patternAccount.endsWith('*') && patternAccount !== accountId) return undefined;
  const namePrefix = name.endsWith('*') ? name.slice(0, -1) : name;
  return { partition: partition || 'aws', ...(namePrefix && !namePrefix.includes('*') ? { namePrefix } : {}) };
}

export async function listManagedQueues(deps: ControllerDependencies): Promise<ManagedQueuePage> {
  const { scope } = deps;
  const listings = scope.managedQueues.flatMap((pattern) => patternListing(pattern, scope.accountId, scope.region) ?? []);
  // one ListQueues per distinct prefix; none at all when a pattern covers the whole account
  const wholeAccount = listings.find((listing) => listing.namePrefix === undefined);
  const calls = wholeAccount ? [wholeAccount] : dedupe(listings);

  const found = new Map<string, QueueListing & { queueArn: string }>();
  let truncated = false;
  for (const listing of calls) {
    const page = await deps.sqs.listQueues({ ...(listing.namePrefix ? { namePrefix: listing.namePrefix } : {}), limit: MAX_LISTED_QUEUES });
    truncated ||= page.truncated;
    for (const queue of page.queues) {
      const queueArn = `arn:${listing.partition}:sqs:${scope.region}:${queue.accountId}:${queue.queueName}`;
      if (scope.isManaged(queueArn)) found.set(queueArn, { ...queue, queueArn });
    }
  }
  const managed = [...found.values()].sort((a, b) => a.queueName.localeCompare(b.queueName));
  if (managed.length > MAX_LISTED_QUEUES) truncated = true;
  const listed = managed.slice(0, MAX_LISTED_QUEUES);

  const depths: Array<ManagedQueue | undefined> = new Array(listed.length);
  let next = 0;
  const worker = async () => {
    while (next < listed.length) {
      const at = next++;
      const queue = listed[at]!;
      const depth = await deps.sqs.depth(queue.queueUrl);
      // a queue deleted since ListQueues is simply not shown
      if (depth) depths[at] = { queueArn: queue.queueArn, queueName: queue.queueName, queueUrl: queue.queueUrl, ...depth };
    }
  };
  await Promise.all(Array.from({ length: Math.min(DEPTH_CONCURRENCY, listed.length) }, worker));
  const queues = depths.filter((queue): queue is ManagedQueue => queue !== undefined);
  const roles = queueRoles(queues);
  return { queues: queues.map((queue) => (roles.has(queue.queueArn) ? { ...queue, role: roles.get(queue.queueArn)! } : queue)), truncated };
}

function dedupe(listings: PatternListing[]): PatternListing[] {
  const seen = new Map<string, PatternListing>();
  for (const listing of listings) seen.set(`${listing.partition}|${listing.namePrefix ?? ''}`, listing);
  return [...seen.values()];
}
