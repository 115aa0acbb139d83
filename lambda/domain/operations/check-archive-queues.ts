// startSelectiveTask (archive: POST /dlqs/{q}/archive, archiveBeforeExpiry), its dry run, decideMessage (one message)
//   --> checkArchiveQueues --> checkSelectiveQueues, or, for a DLQ the inventory knows as a Lambda or EventBridge DLQ, checkReplayQueues
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { checkReplayQueues } from './check-replay-queues';
import { checkSelectiveQueues, NOT_A_DLQ } from './check-selective-queues';
import { type ReplaySource, replaySourceOf } from './replay-source';

/**
 * The queues of an archive (API.md section 12): SQS's rules, as for any selective task; but no SQS
 * redrive policy names a Lambda or EventBridge DLQ (ListDeadLetterSourceQueues is empty), so SQS's
 * "not a DLQ" refusal would leave its messages to expire unrecorded. Such a DLQ, as the inventory knows
 * it, is checked as a replay's source is (it exists, it is no chained DLQ); the task stays an archive.
 * The inventory is read only after that refusal, so SQS DLQs pay nothing for it.
 * The decisions on one message (discard, edit, retry) take the same DLQs, by the same check; the
 * answer is the inventory's word on such a DLQ (undefined for an SQS DLQ), so an edit or a retry can go
 * to the one target that failed, as a replay's messages do.
 */
export async function checkArchiveQueues(deps: ControllerDependencies, request: StartRequest): Promise<ReplaySource | undefined> {
  try {
    await checkSelectiveQueues(deps, request);
    return undefined;
  } catch (error) {
    if (!(error instanceof SqsError) || error.message !== NOT_A_DLQ) throw error;
    const replay = await replaySourceOf(deps, request.source.arn).catch(() => undefined);
    if (!replay) throw error;
    await checkReplayQueues(deps, request);
    return replay;
  }
}
