import { SqsError } from './sqs-error';

/**
 * One policy for reasons: with `api.requireReason` on, a start or cancel through the path or Query
 * style must say why. The SQS JSON protocol is exempt: the AWS SDK and CLI cannot send a Reason, and
 * SQS's own clients must keep working.
 */
export interface ReasonPolicy {
  readonly requireReason: boolean;
}

export const REASON_OPTIONAL: ReasonPolicy = { requireReason: false };

export function checkReasonGiven(policy: ReasonPolicy, reason: string | undefined, action: 'start' | 'cancel'): void {
  if (policy.requireReason && reason === undefined) {
    throw new SqsError('MissingParameter', `Reason is required: this deployment records why every redrive is ${action === 'start' ? 'started' : 'cancelled'} (api.requireReason); give a non-empty Reason of at most 1024 characters`);
  }
}
