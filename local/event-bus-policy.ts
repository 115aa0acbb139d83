import type { PolicyDocument } from './policy/policy-evaluator';

/**
 * The controller bus's resource policy as lib/cancel-event-bus.ts deploys it, built from the same
 * allowed-senders list: PutEvents allowed to the listed principals (`ArnLike aws:PrincipalArn`) and
 * denied explicitly to everyone else, whatever their identity policies say; with none listed,
 * denied to all. (The organization statement is left out: the local stack has no organization.)
 */
export function senderBusPolicy(busArn: string, allowedSenders: readonly string[]): PolicyDocument {
  const putEvents = { Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: busArn };
  if (allowedSenders.length === 0) return { Version: '2012-10-17', Statement: [{ Sid: 'DenyEveryoneElse', Effect: 'Deny', ...putEvents }] };
  const senders = { 'aws:PrincipalArn': [...allowedSenders] };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowConfiguredSenders', Effect: 'Allow', ...putEvents, Condition: { ArnLike: senders } },
      { Sid: 'DenyEveryoneElse', Effect: 'Deny', ...putEvents, Condition: { ArnNotLike: senders } },
    ],
  };
}

/**
 * The org bus's resource policy as lib/org/org-event-bus.ts deploys it: PutEvents from principals of
 * the organization, and an explicit deny for everyone else.
 */
export function orgBusPolicy(busArn: string, organizationId: string): PolicyDocument {
  const putEvents = { Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: busArn };
  const org = { 'aws:PrincipalOrgID': organizationId };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowOrganization', Effect: 'Allow', ...putEvents, Condition: { StringEquals: org } },
      { Sid: 'DenyOutsideOrganization', Effect: 'Deny', ...putEvents, Condition: { StringNotEquals: org } },
    ],
  };
}
