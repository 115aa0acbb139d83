import type { ApiClient } from '../../../cli/api-client';
import type { CommandContext } from '../../../cli/commands';
import { accountOfArn, accountOption, resolveOrgDlq, routeOf, siblingArn } from '../../../cli/org-mode';
import { UsageError } from '../../../cli/parse-args';

const ARN = 'arn:aws:sqs:eu-west-1:222222222222:orders-dlq';

function contextOf(org: boolean, pages: Array<{ dlqs: unknown[]; nextToken?: string }> = []): CommandContext & { asked: unknown[] } {
  const asked: unknown[] = [];
  const api = { get: (path: string, query: unknown) => (asked.push([path, query]), Promise.resolve(pages.shift() ?? { dlqs: [] })) } as unknown as ApiClient;
  return { api, org, json: false, stdout: process.stdout, stderr: process.stderr, asked };
}

describe('the CLI under --org', () => {
  it('routes the commands under org/ only under --org', () => {
    expect(routeOf(contextOf(true), 'CancelMessageMoveTask')).toBe('org/CancelMessageMoveTask');
    expect(routeOf(contextOf(false), 'tasks')).toBe('tasks');
  });

  it('takes --account only under --org, and only as a 12-digit account id', () => {
    const args = (account: string) => ({ positionals: [], options: { account } });
    expect(accountOption(contextOf(true), args('111111111111'))).toBe('111111111111');
    expect(() => accountOption(contextOf(false), args('111111111111'))).toThrow(new UsageError('--account needs --org <org API URL> (an account API serves one account)'));
    expect(() => accountOption(contextOf(true), args('11111'))).toThrow(/12-digit AWS account id, got "11111"/);
  });

  it("reads an ARN's account, and names a queue of the same account and region", () => {
    expect(accountOfArn(ARN)).toBe('222222222222');
    expect(accountOfArn('not-an-arn')).toBe('-');
    expect(siblingArn(ARN, 'orders')).toBe('arn:aws:sqs:eu-west-1:222222222222:orders');
  });

  it('finds a DLQ by name across pages of the org view, and refuses a name two accounts share', async () => {
    // Prepare
    const one = contextOf(true, [{ dlqs: [{ QueueName: 'other', QueueArn: 'x', AccountId: '1' }], nextToken: 'n' }, { dlqs: [{ QueueName: 'orders-dlq', QueueArn: ARN, AccountId: '222222222222' }] }]);
    const two = contextOf(true, [{ dlqs: [{ QueueName: 'orders-dlq', QueueArn: ARN, AccountId: '222222222222' }, { QueueName: 'orders-dlq', QueueArn: 'y', AccountId: '111111111111' }] }]);

    // Act
    const found = await resolveOrgDlq(one, 'orders-dlq', undefined);
    const refused = resolveOrgDlq(two, 'orders-dlq', undefined);

    // Assess
    expect(found).toBe(ARN);
    expect(one.asked).toEqual([
      ['org/dlqs', { accountId: undefined, sort: 'name', limit: '1000', nextToken: undefined }],
      ['org/dlqs', { accountId: undefined, sort: 'name', limit: '1000', nextToken: 'n' }],
    ]);
    await expect(refused).rejects.toThrow('"orders-dlq" names a DLQ in accounts 222222222222, 111111111111: pass --account <id> or the queue ARN');
    await expect(resolveOrgDlq(contextOf(true), 'missing', '111111111111')).rejects.toThrow(/no DLQ in account 111111111111 is named "missing"/);
  });
});
