// start, dry run --> replaySourceOf (the DLQ inventory: is this a Lambda or EventBridge DLQ, and whose?) --> startOrReplay
import type { DlqInventoryStore } from '../dlq/dlq-ports';
import type { ControllerDependencies } from '../ports';
import { type RuleTargetSettings, settingsWorthKeeping } from '../replay/rule-target-settings';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';

/** A DLQ Lambda or EventBridge fails into, as the inventory discovered it (API.md section 11). */
export interface ReplaySource {
  readonly origin: 'lambda' | 'eventbridge';
  /** the functions whose dead-letter queue or on-failure destination it is */
  readonly functions: readonly string[];
  /** its rule targets that transform their input or name a FIFO message group */
  readonly ruleTargets?: readonly RuleTargetSettings[];
}

/** What a replay's task record keeps of its source, so its router (replay-router.ts) needs no inventory later. */
export function recordedReplaySource(replay: ReplaySource): Pick<TaskRecord, 'replayOrigin' | 'replayFunctions' | 'replayRuleTargets'> {
  return { replayOrigin: replay.origin, ...(replay.functions.length > 0 ? { replayFunctions: [...replay.functions] } : {}), ...(replay.ruleTargets?.length ? { replayRuleTargets: [...replay.ruleTargets] } : {}) };
}

/** The inventory's word on the DLQ: a replay source, or undefined (an SQS DLQ, not discovered yet, no inventory). */
export async function replaySourceOf(deps: ControllerDependencies, sourceArn: string): Promise<ReplaySource | undefined> {
  if (!deps.dlqs) return undefined;
  const { inventory } = await deps.dlqs();
  return replaySourceIn(inventory, sourceArn);
}

/** The same, from the inventory store itself (peek has it at hand). */
export async function replaySourceIn(inventory: Pick<DlqInventoryStore, 'load'>, sourceArn: string): Promise<ReplaySource | undefined> {
  const dlq = (await inventory.load())?.dlqs.find((entry) => entry.queueArn === sourceArn);
  if (!dlq || dlq.origin === 'sqs') return undefined;
  const ruleTargets = dlq.targets.flatMap((target) =>
    target.kind === 'rule-target' && target.ruleArn
      ? (settingsWorthKeeping({ ruleArn: target.ruleArn, targetArn: target.arn, ...(target.inputTransformation ? { inputTransformation: target.inputTransformation } : {}), ...(target.messageGroupId ? { messageGroupId: target.messageGroupId } : {}) }) ?? [])
      : [],
  );
  return { origin: dlq.origin, functions: dlq.targets.filter((target) => target.kind === 'function').map((target) => target.arn), ...(ruleTargets.length > 0 ? { ruleTargets } : {}) };
}

/**
 * A start or dry run: SQS's rules first (native or selective), as before; a source refused there
 * (SQS: no DLQ, nobody's deadLetterTargetArn) that the inventory knows as a Lambda or EventBridge DLQ
 * is replayed instead. A DestinationArn that is a function, topic or bus only a replay can take.
 * The inventory is read only on those paths, so SQS redrives pay nothing for replays.
 */
export async function startOrReplay<T>(deps: ControllerDependencies, request: StartRequest, run: (replay: ReplaySource | undefined) => Promise<T>): Promise<T> {
  if (request.targetDestination) {
    const replay = await replaySourceOf(deps, request.source.arn);
    if (!replay) {
      throw new SqsError(
        'InvalidParameterValue',
        `DestinationArn names a ${request.targetDestination.kind}: only a replay of a Lambda or EventBridge dead-letter queue delivers to functions, topics or buses, and the inventory does not know ${request.source.queueName} as one`,
      );
    }
    return run(replay);
  }
  try {
    return await run(undefined);
  } catch (error) {
    if (!(error instanceof SqsError) || !error.isCallerFault) throw error;
    const replay = await replaySourceOf(deps, request.source.arn).catch(() => undefined);
    if (!replay) throw error;
    return run(replay);
  }
}
