// startSelectiveTask (archive: POST /dlqs/{q}/archive, archiveBeforeExpiry), its dry run --> checkArchiveQueues
//   --> checkSelectiveQueues, or, for a DLQ the inventory knows as a Lambda or EventBridge DLQ, checkReplayQueues
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { checkReplayQueues } from './check-replay-queues';
import { checkSelectiveQueues, NOT_A_DLQ } from './check-selective-queues';
import { replaySourceOf } from './replay-source';

/**
 * The queues of an archive (API.md section 12): SQS's rules, as for any selective task; but no SQS
 * redrive policy names a Lambda or EventBridge DLQ (ListDeadLetterSourceQueues is empty), so SQS's
 * "not a DLQ" refusal would leave its messages to expire unrecorded. Such a DLQ, as the inventory knows
 * it, is checked as a replay's source is (it exists, it is no chained DLQ); the task stays an archive.
 * The inventory is read only after that refusal, so SQS DLQs pay nothing for it.
 */
export async function checkArchiveQueues(deps: ControllerDependencies, request: StartRequest): Promise<void> {
  try {
    await checkSelectiveQueues(deps, request);
  } catch (error) {
    if (!(error instanceof SqsError) || error.message !== NOT_A_DLQ) throw error;
    const replay = await replaySourceOf(deps, request.source.arn).catch(() => undefined);
    if (!replay) throw error;
    await checkReplayQueues(deps, request);
  }
}
