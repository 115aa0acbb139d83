// expiryArchiver --> startSelectiveTask --> archiveReplayHolding (the DLQ's claim --> its holder's record)
import type { ControllerDependencies } from '../ports';
import type { TaskRecord } from '../task-record';
import { isActive } from '../task-status';

/**
 * The active replay from the archive (Kind archive-replay) that holds the DLQ's claim, if any. Such a
 * replay reads the archive bucket and never receives from the DLQ, so an expiry archive (which only
 * archives and deletes, sending nothing) can run beside it without doubling a message. The replay keeps
 * the claim, so every other start (a redrive, a replay, an operator's archive) stays refused: a redrive
 * of the DLQ during the replay could send the same dead letters twice (a copy-mode archive left them there).
 */
export async function archiveReplayHolding(deps: Pick<ControllerDependencies, 'store'>, sourceArn: string): Promise<TaskRecord | undefined> {
  const claim = await deps.store.readSourceClaim(sourceArn);
  if (!claim || claim.released) return undefined;
  const holder = await deps.store.get(claim.holder);
  return holder && holder.kind === 'archive-replay' && holder.sourceArn === sourceArn && isActive(holder.status) ? holder : undefined;
}
