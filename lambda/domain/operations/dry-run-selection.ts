// adapter --> dryRunSelection --> sampleMessages (peek's: receive hidden, then visible again) --> match --> Peeked event (DryRun)
import { verdictOf } from '../message-selection';
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { checkSelectiveQueues } from './check-selective-queues';
import { announcePeek } from './peek-dlq';
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
 * A filter on `MessageBody` reads the bodies, so a dry run is announced as a peek is
 * (`Dead-Letter Messages Peeked` with `DryRun: true`, ids only), and only message readers may run one.
 */
export async function dryRunSelection(deps: ControllerDependencies, request: StartRequest, caller: string): Promise<DryRunResult> {
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
  const { activity } = await deps.dlqs!();
  await announcePeek(
    { activity, log: deps.log },
    { queueArn: source, queueName: request.source.queueName, messageIds: sample.map((message) => message.messageId), by: caller, at: deps.clock.now().toISOString(), dryRun: true },
  );
  const selection = request.selection ?? {};
  const verdicts = sample.map((message) => verdictOf(selection, message, request.destination?.arn, request.source.arn));
  return {
    sampled: sample.length,
    matched: verdicts.filter((verdict) => verdict !== 'skip').length,
    unroutable: verdicts.filter((verdict) => verdict === 'unroutable').length,
  };
}
