// handleHttpRequest --> checkMessageReader (peek, DryRun): the function's own check, behind the API's resource policy
import { matchesAnyPrincipal } from './principal-pattern';
import { SqsError } from './sqs-error';

/**
 * Who may see what DLQ messages hold: peek answers their bodies, and a dry run's `MessageBody`
 * filter can recover a body piece by piece. The API's resource policy allows peek only to the
 * configuration's message readers; the function checks again (MESSAGE_READERS), so a request that
 * reaches it by a path the policy does not name (`/dlqs/x/peek/`), and every dry run, which no
 * policy can tell from a start, get the same answer.
 */
/** `read the archive`: GET /archives/{taskId}/messages answers archived bodies; `replay the archive`: POST /archives/{taskId}/replay sends them (API.md section 12). */
export type ReaderAction = 'peek' | 'dry run' | 'decide' | 'read the archive' | 'replay the archive';

export function checkMessageReader(principal: string, messageReaders: readonly string[], action: ReaderAction): void {
  if (matchesAnyPrincipal(principal, messageReaders)) return;
  const what = action === 'peek' ? 'peek at DLQ messages'
    : action === 'decide' ? 'retry, edit or discard a DLQ message'
    : action === 'read the archive' ? 'read archived messages'
    : action === 'replay the archive' ? 'replay archived messages' : 'dry-run a selective redrive (DryRun matches message bodies)';
  throw new SqsError('AccessDeniedException', `${principal} may not ${what}: only the message readers this deployment names (api.messageReaders) may`, 403);
}
