// adapter --> dryRunSelection --> sampleMessages (peek's: receive hidden, then visible again) --> match
import { verdictOf } from '../message-selection';
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { checkSelectiveQueues } from './check-selective-queues';
import { SAMPLE_VISIBILITY_SECONDS, sampleMessages } from './sample-messages';
import { refuseIfActive } from './start-selective-task';

export interface DryRunResult {
  readonly sampled: number;
  readonly matched: number;
  readonly unroutable: number;
}

/** Peek's rules: at most this many messages, each visible again before the answer. */
export const DRY_RUN_SAMPLE = 100;

/**
 * What a selective start would do to a sample of the DLQ, moving nothing. The sample is peek's
 * (`sampleMessages`): every message is visible again before the answer. Refused where a start is
 * refused, and while a task of the DLQ is active: its messages in flight would be skipped by it.
 */
export async function dryRunSelection(deps: ControllerDependencies, request: StartRequest): Promise<DryRunResult> {
  if (!deps.messages) throw new SqsError('UnsupportedOperation', 'DryRun is not available in this deployment');
  deps.scope.checkSource(request.source, 'SourceArn');
  if (request.destination) deps.scope.checkDestination(request.destination, 'DestinationArn');
  await checkSelectiveQueues(deps, request);
  await refuseIfActive(deps, request.source.arn);

  const messages = deps.messages;
  const source = request.source.arn;
  const sample = await sampleMessages(
    {
      receive: (max, waitSeconds) => messages.receive(source, { max, visibilitySeconds: SAMPLE_VISIBILITY_SECONDS, waitSeconds }),
      release: async (receiptHandles) => {
        await messages.changeVisibility(source, receiptHandles, 0);
        return [];
      },
    },
    DRY_RUN_SAMPLE,
    deps.log,
    { operation: 'dry run', sourceArn: source },
  );
  const selection = request.selection ?? {};
  const verdicts = sample.map((message) => verdictOf(selection, message, request.destination?.arn, request.source.arn));
  return {
    sampled: sample.length,
    matched: verdicts.filter((verdict) => verdict !== 'skip').length,
    unroutable: verdicts.filter((verdict) => verdict === 'unroutable').length,
  };
}
