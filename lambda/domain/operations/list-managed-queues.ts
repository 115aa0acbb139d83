// adapter --> listManagedQueues --> findQueues (SQS ListQueues by name prefix) --> GetQueueAttributes per managed queue
import { inParallel } from '../in-parallel';
import type { ControllerDependencies } from '../ports';
import { type QueueRole, queueRoles } from '../queue-role';
import { findQueues } from './find-queues';

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

export async function listManagedQueues(deps: ControllerDependencies): Promise<ManagedQueuePage> {
  const found = await findQueues(deps, deps.scope.managedQueues, MAX_LISTED_QUEUES);
  const listed = found.queues.slice(0, MAX_LISTED_QUEUES);
  const depths = await inParallel(listed, DEPTH_CONCURRENCY, async (queue): Promise<ManagedQueue | undefined> => {
    const depth = await deps.sqs.depth(queue.queueUrl);
    // a queue deleted since ListQueues is simply not shown
    return depth && { queueArn: queue.queueArn, queueName: queue.queueName, queueUrl: queue.queueUrl, ...depth };
  });
  const queues = depths.filter((queue): queue is ManagedQueue => queue !== undefined);
  const roles = queueRoles(queues);
  return {
    queues: queues.map((queue) => (roles.has(queue.queueArn) ? { ...queue, role: roles.get(queue.queueArn)! } : queue)),
    truncated: found.truncated || found.queues.length > MAX_LISTED_QUEUES,
  };
}
