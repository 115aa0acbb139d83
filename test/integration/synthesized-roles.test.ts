import type { StackDescription } from '../../local/template/describe-stack';
import { startTestStack, type TestStack } from '../support/local-stack-fixture';

/** The description with one action taken out of one function's identity policies. */
function withoutGrant(entry: string, action: string): (description: StackDescription) => StackDescription {
  return (description) => {
    const fn = description.functions[entry]!;
    const identityPolicies = fn.identityPolicies.map((policy) => ({
      ...policy,
      document: {
        ...policy.document,
        Statement: policy.document.Statement.map((statement) => ({ ...statement, Action: [statement.Action].flat().filter((granted) => granted !== action) })).filter((statement) => statement.Action.length > 0),
      },
    }));
    return { ...description, functions: { ...description.functions, [entry]: { ...fn, identityPolicies } } };
  };
}

describe('the functions run with their synthesized roles (policy enforcement)', () => {
  let t: TestStack | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('runs the inventory twice: its second run reads the first one with BatchGetItem, which its role has', async () => {
    // Prepare
    t = await startTestStack();
    const dlq = await t.seedDlq(3, 'inventory-twice');

    // Act
    await t.stack.refreshInventory();
    const second = await t.stack.refreshInventory();

    // Assess: the second run read the first's chunks and nothing was refused
    const synthesized = t.stack.description.functions.inventory!.identityPolicies.flatMap((policy) => policy.document.Statement).flatMap((statement) => [statement.Action].flat());
    expect(synthesized).toContain('dynamodb:BatchGetItem');
    expect(t.logs.filter((line) => line.includes('local IAM'))).toEqual([]);
    expect(second).toMatchObject({ dlqs: expect.any(Number) });
    const listed = await t.get('/dlqs');
    expect(JSON.stringify(listed.body)).toContain(dlq.dlqArn);
  });

  it("fails the inventory's second run with DynamoDB's AccessDenied when BatchGetItem is taken out of its synthesized policy", async () => {
    // Prepare: the role as it was before the grant
    t = await startTestStack({ alterDescription: withoutGrant('inventory', 'dynamodb:BatchGetItem') });
    await t.seedDlq(3, 'inventory-denied');
    await t.stack.refreshInventory();

    // Act
    const second = t.stack.refreshInventory();

    // Assess
    await expect(second).rejects.toThrow(/AccessDenied|not authorized to perform: dynamodb:BatchGetItem/);
    expect(t.logs.some((line) => line.includes('local IAM') && line.includes('dynamodb:BatchGetItem') && line.includes('role/redrive-controller-inventory'))).toBe(true);
  });
});
