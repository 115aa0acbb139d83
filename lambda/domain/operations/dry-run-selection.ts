// adapter --> dryRunSelection --> DLQ receive (covering visibility) --> match --> ChangeMessageVisibilityBatch to 0
import type { DlqMessage } from '../dlq-message';
import { verdictOf } from '../message-selection';
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { checkSelectiveQueues } from './check-selective-queues';
import { refuseIfActive } from './start-selective-task';

export interface DryRunResult {
  readonly sampled: number;
  readonly matched: number;
  readonly unroutable: number;
}

/** Peek's rules: at most this many messages, each visible again before the answer. */
export const DRY_RUN_SAMPLE = 100;
/** Covers the receives and the match; the messages are released explicitly long before. */
const SAMPLE_VISIBILITY_SECONDS = 30;

/**
 * What a selective start would do to a sample of the DLQ, moving nothing. Messages are received
 * with a visibility that covers the work (never 0: see EMULATORS.md) and released at once after.
 * Refused while a task of the DLQ is active: its messages in flight would be skipped by it.
 */
export async function dryRunSelection(deps: ControllerDependencies, request: StartRequest): Promise<DryRunResult> {
  if (!deps.messages) throw new SqsError('UnsupportedOperation', 'DryRun is not available in this deployment');
  deps.scope.checkSource(request.source, 'SourceArn');
  if (request.destination) deps.scope.checkDestination(request.destination, 'DestinationArn');
  await checkSelectiveQueues(deps, request);
  await refuseIfActive(deps, request.source.arn);

  const sample: DlqMessage[] = [];
  let confirmingEmpty = false;
  try {
    while (sample.length < DRY_RUN_SAMPLE) {
      // an empty short poll is confirmed once with a 1-second long poll, as peek and the mover do
      const batch = await deps.messages.receive(request.source.arn, {
        max: Math.min(10, DRY_RUN_SAMPLE - sample.length),
        visibilitySeconds: SAMPLE_VISIBILITY_SECONDS,
        waitSeconds: confirmingEmpty ? 1 : 0,
      });
      if (batch.length === 0) {
        if (confirmingEmpty) break;
        confirmingEmpty = true;
        continue;
      }
      confirmingEmpty = false;
      sample.push(...batch);
    }
  } finally {
    if (sample.length > 0) await deps.messages.changeVisibility(request.source.arn, sample.map((message) => message.receiptHandle), 0);
  }
  const selection = request.selection ?? {};
  const verdicts = sample.map((message) => verdictOf(selection, message, request.destination?.arn, request.source.arn));
  return {
    sampled: sample.length,
    matched: verdicts.filter((verdict) => verdict !== 'skip').length,
    unroutable: verdicts.filter((verdict) => verdict === 'unroutable').length,
  };
}
