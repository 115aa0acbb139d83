import { matchesQueuePattern } from '../queue-pattern';
import { SqsError } from '../sqs-error';
import type { ReplayScope } from './replay-router';
import { type TargetArn, TargetKind, unqualifiedFunctionArn } from './target-arn';

export interface ReplayScopeSettings {
  /** ARN patterns (a trailing `*` allowed) of the functions, queues, topics and buses a replay may deliver to (config `replayTargets`) */
  readonly replayTargets: readonly string[];
  /** queues a redrive may send to: a replay may send to them too */
  readonly allowedDestinations?: readonly string[];
}

/**
 * Where replays may deliver, as configured: nowhere else, whatever a message names. A function
 * pattern covers the function's versions and aliases (`...:function:orders` allows `...:orders:live`),
 * as `lambda:InvokeFunction` on `<function ARN>:*` does.
 */
export class ConfiguredReplayScope implements ReplayScope {
  constructor(private readonly settings: ReplayScopeSettings) {}

  allows(target: TargetArn): boolean {
    const patterns = target.kind === TargetKind.QUEUE ? [...this.settings.replayTargets, ...(this.settings.allowedDestinations ?? [])] : this.settings.replayTargets;
    const arns = target.kind === TargetKind.FUNCTION ? [target.arn, unqualifiedFunctionArn(target)] : [target.arn];
    return patterns.some((pattern) => arns.some((arn) => matchesQueuePattern(arn, pattern)));
  }

  /** DestinationArn of a replay: refused, naming what is allowed, unless configured. */
  check(target: TargetArn, field: string): void {
    if (this.allows(target)) return;
    const allowed = this.settings.replayTargets;
    throw new SqsError(
      'UnsupportedOperation',
      `${field} names ${target.kind} ${target.arn}, which is not an allowed replay target; allowed: ${allowed.length === 0 ? 'none' : allowed.slice(0, 5).join(', ')}`,
    );
  }
}
