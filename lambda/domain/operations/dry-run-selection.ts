// adapter --> dryRunSelection --> sampleWithin (peek's: receive hidden, then visible again) --> match, within a time budget
//   --> Peeked event (DryRun)
import type { DlqMessage } from '../dlq-message';
import { selects, type Verdict, verdictOf } from '../message-selection';
import type { ControllerDependencies } from '../ports';
import { isRoute, replayRoute, type RouteOutcome } from '../replay/replay-route';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { checkArchiveQueues } from './check-archive-queues';
import { checkReplayQueues } from './check-replay-queues';
import { checkSelectiveQueues } from './check-selective-queues';
import { announcePeek } from './peek-dlq';
import type { ReplaySource } from './replay-source';
import { SAMPLE_VISIBILITY_SECONDS, sampleWithin } from './sample-messages';
import { refuseIfActive } from './start-selective-task';

export interface DryRunResult {
  readonly sampled: number;
  readonly matched: number;
  readonly unroutable: number;
  /** present (true) only when the time budget ran out before the sample was whole: fewer were looked at */
  readonly truncated?: true;
  /** a replay: where each matching message of the sample would go, or why it would stay */
  readonly routes?: readonly SampledRoute[];
}

/** One sampled message of a replay's dry run, by id: its route, or the reason it stays. */
export interface SampledRoute {
  readonly messageId: string;
  readonly outcome: RouteOutcome;
}

/** Peek's rules: at most this many messages, each visible again before the answer. */
export const DRY_RUN_SAMPLE = 100;

/**
 * From the request's arrival to the last message matched: the queue checks, the receives and the
 * matching. Well inside the API function's 25 s (and API Gateway's 29 s): after it come the release
 * of what was received (10 parallel calls at most, retried once) and the answer.
 */
export const DRY_RUN_BUDGET_MS = 12_000;

/**
 * What a selective start would do to a sample of the DLQ, moving nothing. The sample is peek's
 * (`sampleWithin`): every message is visible again before the answer. Refused where a start is
 * refused, and while a task of the DLQ is active: its messages in flight would be skipped by it.
 * Each message is matched as it arrives; once the budget is spent the sample stops there and the
 * answer says so (`truncated`), counting only what was matched.
 * A filter on `MessageBody` reads the bodies, so a dry run is announced as a peek is
 * (`Dead-Letter Messages Peeked` with `DryRun: true`, ids only), and only message readers may run one.
 */
export async function dryRunSelection(deps: ControllerDependencies, request: StartRequest, caller: string, replay?: ReplaySource, archive?: true): Promise<DryRunResult> {
  const now = () => deps.clock.now().getTime();
  const deadline = now() + DRY_RUN_BUDGET_MS;
  if (!deps.messages) throw new SqsError('UnsupportedOperation', 'DryRun is not available in this deployment');
  deps.scope.checkSource(request.source, 'SourceArn');
  if (request.destination) deps.scope.checkDestination(request.destination, 'DestinationArn');
  if (replay) await checkReplayQueues(deps, request);
  // an archive's dry run (POST /dlqs/{q}/archive): refused where its start is
  else if (archive) await checkArchiveQueues(deps, request);
  else await checkSelectiveQueues(deps, request);
  await refuseIfActive(deps, request.source.arn);
  // a replay routes each match as the mover would (replay-router.ts), and says where; with the rule targets
  // discovery stored, as the start records them: a transformed input stays, a FIFO target's group is known
  const destinationArn = request.destination?.arn ?? request.targetDestination?.arn;
  const replayContext = replay
    ? {
        ...(destinationArn ? { destinationArn } : {}),
        owningFunctions: replay.functions,
        ...(replay.ruleTargets ? { ruleTargets: replay.ruleTargets } : {}),
        ...(deps.replayScope ? { allows: deps.replayScope.allows.bind(deps.replayScope) } : { allows: () => false }),
      }
    : undefined;
  const routes: SampledRoute[] = [];

  const messages = deps.messages;
  const source = request.source.arn;
  const selection = request.selection ?? {};
  const verdicts: Verdict[] = [];
  // every message the dry run read (its body met the filter), matched or not: the Peeked event names them all
  const inspectedIds: string[] = [];
  const sample = await sampleWithin(
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
    {
      deadline,
      now,
      inspect: (message: DlqMessage) => {
        if (now() >= deadline) return false;
        if (replayContext) {
          if (!selects(selection, message)) verdicts.push('skip');
          else {
            const outcome = replayRoute(message, replayContext);
            routes.push({ messageId: message.messageId, outcome });
            verdicts.push(isRoute(outcome) ? 'move' : 'unroutable');
          }
        } else verdicts.push(verdictOf(selection, message, request.destination?.arn, source));
        inspectedIds.push(message.messageId);
        return true;
      },
    },
  );
  const { activity } = await deps.dlqs!();
  await announcePeek(
    { activity, log: deps.log },
    { queueArn: source, queueName: request.source.queueName, messageIds: inspectedIds, by: caller, at: deps.clock.now().toISOString(), dryRun: true },
  );
  return {
    sampled: verdicts.length,
    matched: verdicts.filter((verdict) => verdict !== 'skip').length,
    unroutable: verdicts.filter((verdict) => verdict === 'unroutable').length,
    ...(sample.cutShort ? { truncated: true as const } : {}),
    ...(replayContext ? { routes } : {}),
  };
}
