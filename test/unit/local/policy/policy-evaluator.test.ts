import { evaluateAuthorization, type IdentityPolicy, type PolicyDocument, PolicyEvaluationError, roleArnOf } from '../../../../local/policy/policy-evaluator';

const ROLE = 'arn:aws:iam::123456789012:role/api';
const OTHER_ACCOUNT_ROLE = 'arn:aws:iam::210987654321:role/runbook';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const allow = (action: string, resource: string): IdentityPolicy => ({ name: 'grant', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] } });
const deny = (action: string, resource: string): IdentityPolicy => ({ name: 'deny', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: resource }] } });
const queuePolicy = (effect: 'Allow' | 'Deny', principal: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: effect, Principal: { AWS: principal }, Action: 'sqs:ReceiveMessage', Resource: QUEUE }],
});

describe('evaluateAuthorization', () => {
  it.each([
    ['an identity policy allows', ROLE, [allow('sqs:ReceiveMessage', QUEUE)], undefined, { decision: 'Allowed' }],
    ['an identity policy allows by wildcard', ROLE, [allow('sqs:Receive*', 'arn:aws:sqs:us-east-1:123456789012:*')], undefined, { decision: 'Allowed' }],
    ['no policy allows', ROLE, [], undefined, { decision: 'ImplicitlyDenied', deniedBy: 'identity' }],
    ['the allow is for another action', ROLE, [allow('sqs:SendMessage', QUEUE)], undefined, { decision: 'ImplicitlyDenied', deniedBy: 'identity' }],
    ['an identity deny beats an allow', ROLE, [allow('sqs:*', '*'), deny('sqs:ReceiveMessage', QUEUE)], undefined, { decision: 'ExplicitlyDenied', deniedBy: 'identity' }],
    ['same account: the queue policy alone allows', ROLE, [], queuePolicy('Allow', ROLE), { decision: 'Allowed' }],
    ['same account: the queue policy denies over an identity allow', ROLE, [allow('sqs:*', '*')], queuePolicy('Deny', ROLE), { decision: 'ExplicitlyDenied', deniedBy: 'resource' }],
    ['cross account: the identity policy alone is not enough', OTHER_ACCOUNT_ROLE, [allow('sqs:ReceiveMessage', QUEUE)], undefined, { decision: 'ImplicitlyDenied', deniedBy: 'resource' }],
    ['cross account: the queue policy alone is not enough', OTHER_ACCOUNT_ROLE, [], queuePolicy('Allow', OTHER_ACCOUNT_ROLE), { decision: 'ImplicitlyDenied', deniedBy: 'identity' }],
    ['cross account: both allow', OTHER_ACCOUNT_ROLE, [allow('sqs:ReceiveMessage', QUEUE)], queuePolicy('Allow', OTHER_ACCOUNT_ROLE), { decision: 'Allowed' }],
  ])('answers when %s', async (_case, principal, identityPolicies, resourcePolicy, expected) => {
    // Act
    const evaluation = await evaluateAuthorization({ principal, action: 'sqs:ReceiveMessage', resource: QUEUE }, { identityPolicies, ...(resourcePolicy ? { resourcePolicy } : {}) });

    // Assess
    expect(evaluation).toEqual(expected);
  });

  it('fills in aws:PrincipalArn, the role of a session, for conditions that name it', async () => {
    // Prepare: the controller bus's policy, as lib/cancel-event-bus.ts writes it
    const bus = 'arn:aws:events:us-east-1:123456789012:event-bus/redrive-controller';
    const policy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AllowConfiguredSenders', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: bus, Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/deploy-*'] } } },
        { Sid: 'DenyEveryoneElse', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: bus, Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/deploy-*'] } } },
      ],
    };
    const put = (principal: string) => evaluateAuthorization({ principal, action: 'events:PutEvents', resource: bus }, { identityPolicies: [], resourcePolicy: policy });

    // Act / Assess
    await expect(put('arn:aws:sts::123456789012:assumed-role/deploy-pipeline/session-1')).resolves.toEqual({ decision: 'Allowed' });
    await expect(put('arn:aws:iam::123456789012:role/some-app')).resolves.toEqual({ decision: 'ExplicitlyDenied', deniedBy: 'resource' });
  });

  it('lets a given context key decide a condition (events:source is a list, as IAM types it)', async () => {
    // Prepare
    const sourceOnly: IdentityPolicy = { name: 'src', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'events:source': 'redrive-controller' } } }] } };
    const put = (source: string) => evaluateAuthorization({ principal: ROLE, action: 'events:PutEvents', resource: 'arn:aws:events:us-east-1:123456789012:event-bus/default', context: { 'events:source': [source] } }, { identityPolicies: [sourceOnly] });

    // Act / Assess
    await expect(put('redrive-controller')).resolves.toEqual({ decision: 'Allowed' });
    await expect(put('somebody-else')).resolves.toEqual({ decision: 'ImplicitlyDenied', deniedBy: 'identity' });
  });

  it('fills in aws:CurrentTime, so a time condition is decided by the clock (and never by a remembered answer)', async () => {
    // Prepare
    const until = (date: string): IdentityPolicy => ({ name: 'window', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: QUEUE, Condition: { DateLessThan: { 'aws:CurrentTime': date } } }] } });
    const open = [until('2999-01-01T00:00:00Z')];
    const closed = [until('2000-01-01T00:00:00Z')];

    // Act / Assess
    await expect(evaluateAuthorization({ principal: ROLE, action: 'sqs:ReceiveMessage', resource: QUEUE }, { identityPolicies: open })).resolves.toEqual({ decision: 'Allowed' });
    await expect(evaluateAuthorization({ principal: ROLE, action: 'sqs:ReceiveMessage', resource: QUEUE }, { identityPolicies: closed })).resolves.toEqual({ decision: 'ImplicitlyDenied', deniedBy: 'identity' });
  });

  it('answers a repeated request alike, from the same documents', async () => {
    const policies = { identityPolicies: [allow('sqs:ReceiveMessage', QUEUE)] };
    const request = { principal: ROLE, action: 'sqs:ReceiveMessage', resource: QUEUE };
    await expect(evaluateAuthorization(request, policies)).resolves.toEqual({ decision: 'Allowed' });
    await expect(evaluateAuthorization(request, policies)).resolves.toEqual({ decision: 'Allowed' });
    await expect(evaluateAuthorization({ ...request, action: 'sqs:DeleteMessage' }, policies)).resolves.toEqual({ decision: 'ImplicitlyDenied', deniedBy: 'identity' });
  });

  it('fails on an action IAM does not know, rather than deny it quietly', async () => {
    // Act / Assess
    await expect(evaluateAuthorization({ principal: ROLE, action: 'sqs:NoSuchAction', resource: QUEUE }, { identityPolicies: [allow('sqs:*', '*')] })).rejects.toThrow(PolicyEvaluationError);
  });

  it.each([
    ['arn:aws:iam::123456789012:role/api', 'arn:aws:iam::123456789012:role/api'],
    ['arn:aws:sts::999999999999:assumed-role/redrive-org-api/redrive-org-api', 'arn:aws:iam::999999999999:role/redrive-org-api'],
    ['arn:aws:iam::123456789012:user/alice', undefined],
  ])('names the role %s acts as', (principal, role) => {
    expect(roleArnOf(principal)).toBe(role);
  });
});
