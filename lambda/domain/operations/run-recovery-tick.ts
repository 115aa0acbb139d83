// schedule (the reconciler's run) --> runRecoveryTick --> advanceRecovery('tick') per policy
import { inParallel } from '../in-parallel';
import type { ControllerDependencies } from '../ports';
import type { RecoveryDependencies } from '../recovery/recovery-ports';
import type { RecoveryState } from '../recovery/recovery-state';
import { advanceRecovery } from './advance-recovery';

export interface RecoveryTickSummary {
  readonly policies: number;
  /** DLQs by state after the tick */
  readonly states: Partial<Record<RecoveryState, number>>;
  readonly errors: number;
}

const DLQ_CONCURRENCY = 4;

/**
 * The timed steps: resumes once every alarm has been OK for resumeAfterOkSeconds, ramps every
 * rampEverySeconds, a finished run back to IDLE, autoStart, and any step a crash left half done.
 * One DLQ's failure is logged and counted; the others go on.
 */
export async function runRecoveryTick(deps: ControllerDependencies, recovery: RecoveryDependencies): Promise<RecoveryTickSummary> {
  const states: Partial<Record<RecoveryState, number>> = {};
  let errors = 0;
  await inParallel([...recovery.policies.values()], DLQ_CONCURRENCY, async (policy) => {
    try {
      const outcome = await advanceRecovery(deps, recovery, policy, 'tick');
      if ('record' in outcome) states[outcome.record.state] = (states[outcome.record.state] ?? 0) + 1;
    } catch (error) {
      errors += 1;
      deps.log.error('recovery tick failed for a DLQ; the next tick tries again', { dlqArn: policy.dlq, error: String(error) });
    }
  });
  return { policies: recovery.policies.size, states, errors };
}
