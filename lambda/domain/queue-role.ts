/**
 * What a listed queue is to a redrive, as far as the listing can tell from the queues' redrive
 * policies: SQS moves messages only out of a queue some queue's redrive policy names.
 * - `dlq`: a listed queue's redrive policy names it (SQS accepts it as a move task's source);
 * - `source`: it has a redrive policy of its own and no listed queue names it: a queue consumers
 *   read, whose failures go to its DLQ (SQS refuses it as a source);
 * - undefined: the listing cannot tell (a DLQ whose source queue is not managed, or a plain queue).
 */
export type QueueRole = 'dlq' | 'source';

export function queueRoles(queues: ReadonlyArray<{ readonly queueArn: string; readonly deadLetterTargetArn?: string }>): Map<string, QueueRole> {
  const targets = new Set(queues.flatMap((queue) => (queue.deadLetterTargetArn ? [queue.deadLetterTargetArn] : [])));
  const roles = new Map<string, QueueRole>();
  for (const queue of queues) {
    if (targets.has(queue.queueArn)) roles.set(queue.queueArn, 'dlq');
    else if (queue.deadLetterTargetArn) roles.set(queue.queueArn, 'source');
  }
  return roles;
}
