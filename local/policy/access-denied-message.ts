import type { Evaluation } from './policy-evaluator';

/**
 * IAM's AccessDenied message, as AWS services write it since 2021: who, which action, which resource,
 * and which policy type decided.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html#access_denied_error_messages
 */
export function accessDeniedMessage(principal: string, action: string, resource: string, evaluation: Evaluation): string {
  const head = `User: ${principal} is not authorized to perform: ${action} on resource: ${resource}`;
  const kind = evaluation.deniedBy === 'resource' ? 'resource-based' : 'identity-based';
  return evaluation.decision === 'ExplicitlyDenied'
    ? `${head} with an explicit deny in ${kind === 'identity-based' ? 'an' : 'a'} ${kind} policy`
    : `${head} because no ${kind} policy allows the ${action} action`;
}
