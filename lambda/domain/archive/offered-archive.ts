// GET /archives and POST /archives/{taskId}/replay: which archive tasks hold messages worth offering
import { type TaskRecord, writesArchive } from '../task-record';
import { isActive } from '../task-status';

/**
 * An archive is offered (listed, replayable) while its task runs, and once it ended only if it counted
 * a message archived. A task that ended counting none archived nothing a user could want back: an
 * archive of an empty selection, or an edit or discard that failed before it deleted anything (its
 * message is still in the DLQ; replaying an original it may have stored would send that message twice).
 */
export function offersArchive(record: TaskRecord): boolean {
  return writesArchive(record) && (isActive(record.status) || record.approximateNumberOfMessagesMoved > 0);
}
