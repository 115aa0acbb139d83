// archiveExpiring (reconciler tick) --> expiryArchiver --> startSelectiveTask: an archive task with Delete, started by the controller
import type { ControllerDependencies } from '../ports';
import { parseQueueArn } from '../queue-arn';
import type { ExpiryArchiver } from './archive-expiring';
import { startSelectiveTask } from './start-selective-task';

/** Who starts the archive tasks of archiveBeforeExpiry, as their records say (StartedBy). */
export const EXPIRY_ACTOR = 'redrive-controller archiveBeforeExpiry';

/**
 * Starts the archive+delete task of one expiring DLQ exactly as `POST /dlqs/{queueName}/archive` with
 * `"Delete": true` and a `SentBefore` would (the same checks, claim, record, events and mover), so it
 * is a task like any other: listed, cancellable, in GET /archives.
 */
export function expiryArchiver(deps: ControllerDependencies): ExpiryArchiver {
  return {
    async archiveAndDelete(dlqArn, selection, reason) {
      const source = parseQueueArn(dlqArn, 'the expiring DLQ');
      const { taskId } = await startSelectiveTask(
        deps,
        { source, selection: { sentBefore: selection.sentBefore }, reason },
        { by: EXPIRY_ACTOR, origin: 'expiry', reason },
        undefined,
        // it sends nothing, so it may run beside a replay from the archive of the same DLQ
        { delete: true, besideArchiveReplay: true },
      );
      return taskId;
    },
  };
}

