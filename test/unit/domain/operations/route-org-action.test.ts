import { routeOrgAction } from '../../../../lambda/domain/operations/route-org-action';
import { AccountApiUnreachable } from '../../../../lambda/domain/org/account-api-unreachable';
import type { OrgAccountEndpoint } from '../../../../lambda/domain/org/org-directory';
import type { AccountApi, AccountApiAnswer } from '../../../../lambda/domain/org/org-ports';
import { SqsError } from '../../../../lambda/domain/sqs-error';

const DIRECTORY: OrgAccountEndpoint[] = [
  { accountId: '111111111111', region: 'us-east-1', apiUrl: 'https://one.example' },
  { accountId: '222222222222', region: 'us-east-1', apiUrl: 'https://two.example' },
];
const SOURCE_2 = 'arn:aws:sqs:us-east-1:222222222222:orders-dlq';

function accountsAnswering(answer: AccountApiAnswer | Error): AccountApi & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    send: async (account) => {
      sent.push(account.accountId);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('routeOrgAction', () => {
  it('sends the action once, to the account its ARN or handle names, and no other', async () => {
    // Prepare
    const accounts = accountsAnswering({ status: 200, headers: {}, body: '{}' });
    const handle = Buffer.from(JSON.stringify({ taskId: 't-1', sourceArn: SOURCE_2 })).toString('base64');

    // Act
    await routeOrgAction({ directory: DIRECTORY, accounts }, 'StartMessageMoveTask', { SourceArn: SOURCE_2 }, 'alice');
    await routeOrgAction({ directory: DIRECTORY, accounts }, 'CancelMessageMoveTask', { TaskHandle: handle }, 'alice');

    // Assess
    expect(accounts.sent).toEqual(['222222222222', '222222222222']);
  });

  const UNTOUCHED = /nothing was done in it by the org view/;
  const MAY_HAVE_ACTED = /the action may have been taken: check GET \/org\/tasks\?accountId=222222222222 before trying again/;
  it.each([
    ['cannot be reached', new AccountApiUnreachable('could not be reached (ECONNREFUSED)', false), 'ServiceUnavailable', /could not be reached \(ECONNREFUSED\)/, UNTOUCHED],
    ['does not answer in time', new AccountApiUnreachable('did not answer within 10 s', true), 'ServiceUnavailable', /did not answer within 10 s/, MAY_HAVE_ACTED],
    ['throws something unforeseen', new Error('socket hang up'), 'ServiceUnavailable', /socket hang up/, MAY_HAVE_ACTED],
    ['refuses the org role', { status: 403, headers: {}, body: '{"message":"forbidden"}' }, 'ServiceUnavailable', /refused the org's request \(403\)/, UNTOUCHED],
    ['throttles the org', { status: 429, headers: {}, body: '{"message":"Too Many Requests"}' }, 'RequestThrottled', /is throttling the org's requests \(429\)/, UNTOUCHED],
    ['fails', { status: 502, headers: {}, body: '{"message":"Internal server error"}' }, 'ServiceUnavailable', /failed \(502\)/, MAY_HAVE_ACTED],
    ['answers a 4xx that is not an SQS error', { status: 404, headers: {}, body: '{"message":"Missing Authentication Token"}' }, 'ServiceUnavailable', /answered 404 without an SQS error \(\{"message":"Missing Authentication Token"\}\): check its ApiUrl/, UNTOUCHED],
  ])('answers 503 naming the account when its API %s, saying whether anything may have been done', async (_name, answer, code, message, effect) => {
    // Act
    const routed = routeOrgAction({ directory: DIRECTORY, accounts: accountsAnswering(answer) }, 'ListMessageMoveTasks', { SourceArn: SOURCE_2 }, 'alice');

    // Assess
    await expect(routed).rejects.toThrow(SqsError);
    await expect(routed).rejects.toMatchObject({ status: 503, code, message: expect.stringMatching(/^Account 222222222222's API/) });
    await expect(routed).rejects.toThrow(message);
    await expect(routed).rejects.toThrow(effect);
  });

  it.each([
    ['a 400', { status: 400, headers: { 'content-type': 'application/json' }, body: '{"__type":"com.amazonaws.sqs#UnsupportedOperation","message":"not managed"}' }],
    ["its function's 403 refusing the person", { status: 403, headers: { 'content-type': 'application/json' }, body: '{"__type":"com.amazonaws.sqs#AccessDeniedException","message":"alice is not allowed to act in this account through the org view"}' }],
  ])("passes the account's own refusal (%s) back as it gave it", async (_name, refusal) => {
    // Act
    const answer = await routeOrgAction({ directory: DIRECTORY, accounts: accountsAnswering(refusal) }, 'StartMessageMoveTask', { SourceArn: SOURCE_2 }, 'alice');

    // Assess
    expect(answer).toEqual({ ...refusal, accountId: '222222222222' });
  });

  it('refuses an ARN of an account the org view does not know, calling nobody', async () => {
    // Prepare
    const accounts = accountsAnswering({ status: 200, headers: {}, body: '{}' });

    // Act / Assess
    await expect(routeOrgAction({ directory: DIRECTORY, accounts }, 'StartMessageMoveTask', { SourceArn: 'arn:aws:sqs:us-east-1:333333333333:q' }, 'alice')).rejects.toMatchObject({ code: 'UnsupportedOperation', status: 400 });
    expect(accounts.sent).toEqual([]);
  });
});
