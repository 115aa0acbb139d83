// POST /dlqs/{queueName}/recovery --> changeRecoveryHold --> advanceRecovery(hold | release)
import type { ControllerDependencies } from '../ports';
import { parseQueueArn, queueArnOfName } from '../queue-arn';
import type { RecoveryDependencies } from '../recovery/recovery-ports';
import type { RecoveryRecord } from '../recovery/recovery-state';
import { MAX_REASON_LENGTH, type Params } from '../requests';
import { quote, SqsError } from '../sqs-error';
import { advanceRecovery } from './advance-recovery';

export const RECOVERY_ACTIONS = ['hold', 'release'] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];
const RECOVERY_FIELDS = ['Action', 'Reason'];

/**
 * A person holds a DLQ's recovery (nothing automatic happens) or releases it (→ PAUSED, resumes once
 * healthy). Both need a Reason, kept in the record and its event.
 */
export async function changeRecoveryHold(deps: ControllerDependencies, queueName: string, params: Params, caller: string): Promise<RecoveryRecord> {
  const unknown = Object.keys(params).filter((name) => !RECOVERY_FIELDS.includes(name));
  if (unknown.length > 0) throw new SqsError('InvalidParameterValue', `POST /dlqs/{queueName}/recovery does not take ${unknown.map((name) => quote(name)).join(', ')}: it takes Action, Reason`);
  const action = params.Action;
  if (action === undefined) throw new SqsError('MissingParameter', 'Action is required: "hold" or "release"');
  if (typeof action !== 'string' || !(RECOVERY_ACTIONS as readonly string[]).includes(action)) {
    throw new SqsError('InvalidParameterValue', `Action must be "hold" or "release", got ${quote(action)}`);
  }
  const reason = params.Reason;
  if (reason === undefined || reason === null || reason === '') throw new SqsError('MissingParameter', `Reason is required: say why you ${action} the recovery`);
  if (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH) {
    throw new SqsError('InvalidParameterValue', `Reason must be a string of at most ${MAX_REASON_LENGTH} characters`);
  }
  const source = parseQueueArn(queueArnOfName(deps.scope.region, deps.scope.accountId, queueName), 'queueName');
  deps.scope.checkSource(source, 'queueName');
  const policy = deps.recovery?.policies.get(source.arn);
  if (!policy) throw new SqsError('InvalidParameterValue', `Queue ${quote(queueName)} has no recovery policy: only a DLQ with one can be held or released`);
  const outcome = await advanceRecovery(deps, deps.recovery as RecoveryDependencies, policy, { kind: action as RecoveryAction, by: caller, reason });
  if ('refused' in outcome) throw new SqsError('InvalidParameterValue', `Cannot ${action} ${queueName}: ${outcome.refused}`);
  return outcome.record;
}
