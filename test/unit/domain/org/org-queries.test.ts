import { parseOrgDlqQuery, refuseOrgAccountsQuery } from '../../../../lambda/domain/org/org-queries';
import { SqsError } from '../../../../lambda/domain/sqs-error';

describe('parseOrgDlqQuery', () => {
  it('takes sort=age and a queue-name prefix, with or without accountId', () => {
    // Act / Assess
    expect(parseOrgDlqQuery({ sort: 'age', prefix: 'orders-' })).toEqual({ sort: 'age', prefix: 'orders-', limit: 100 });
    expect(parseOrgDlqQuery({ sort: 'name', prefix: 'a', accountId: '111111111111', limit: '5' })).toEqual({ sort: 'name', prefix: 'a', accountId: '111111111111', limit: 5 });
  });

  it.each([
    [{ sort: 'oldest' }, /sort must be one of messages, name, age/],
    [{ prefix: 'orders*' }, /prefix must be the start of a queue name/],
    [{ prefix: '' }, /prefix must be the start of a queue name/],
    [{ prefix: 'x'.repeat(81) }, /prefix must be the start of a queue name/],
  ])('refuses %j with InvalidParameterValue naming the parameter', (query, message) => {
    // Act
    const parse = () => parseOrgDlqQuery(query);

    // Assess
    expect(parse).toThrow(SqsError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect((error as SqsError).code).toBe('InvalidParameterValue');
    }
  });
});

describe('refuseOrgAccountsQuery', () => {
  it('refuses any query with InvalidParameterValue naming it, and takes none', () => {
    expect(() => refuseOrgAccountsQuery({})).not.toThrow();
    expect(() => refuseOrgAccountsQuery({ accountId: '111111111111' })).toThrow(/GET \/org\/accounts does not take "accountId"; it takes no query/);
  });
});
