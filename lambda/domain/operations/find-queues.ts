// listManagedQueues, reconcileTasks' discovery --> findQueues --> SQS ListQueues (by name prefix)
import type { ControllerDependencies, QueueListing } from '../ports';
import { listedQueueArn, listingsCovering, matchesQueuePattern } from '../queue-pattern';

export interface FoundQueue extends QueueListing {
  readonly queueArn: string;
}

/**
 * The queues of this account and region that match a pattern and that this deployment manages,
 * sorted by name: one ListQueues per distinct name prefix, each of at most `limit` queues.
 * `truncated`: a ListQueues call had more to answer than `limit`.
 */
export async function findQueues(
  deps: Pick<ControllerDependencies, 'sqs' | 'scope'>,
  patterns: readonly string[],
  limit: number,
): Promise<{ queues: FoundQueue[]; truncated: boolean }> {
  const { scope } = deps;
  const found = new Map<string, FoundQueue>();
  let truncated = false;
  for (const listing of listingsCovering(patterns, scope.accountId, scope.region)) {
    const page = await deps.sqs.listQueues({ ...(listing.namePrefix ? { namePrefix: listing.namePrefix } : {}), limit });
    truncated ||= page.truncated;
    for (const queue of page.queues) {
      const queueArn = listedQueueArn(listing, scope.region, queue);
      if (patterns.some((pattern) => matchesQueuePattern(queueArn, pattern)) && scope.isManaged(queueArn)) found.set(queueArn, { ...queue, queueArn });
    }
  }
  return { queues: [...found.values()].sort((a, b) => a.queueName.localeCompare(b.queueName)), truncated };
}
