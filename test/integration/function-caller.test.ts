import { readConfigFile } from '../../local/template/local-config';
import { useTestStack } from '../support/local-stack-fixture';

const ACCOUNT = '123456789012';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
const LOCAL = `arn:aws:iam::${ACCOUNT}:role/local`;
const signedAs = (accessKeyId: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=0` });
const queueNameOf = (arn: string) => arn.split(':').pop()!;

/**
 * API.md section 10: the function checks readers for the caller the gateway evaluated (access key id
 * `<name>` is `role/<name>`), with no `callers` option naming anyone and no Deny in the resource policy.
 */
describe('the caller the function sees', () => {
  const config = readConfigFile();
  const t = useTestStack({
    config: { ...config, api: { ...(config.api as object), messageReaders: [READER, LOCAL] } },
    // only the function's own reader check stands between a non-reader and the bodies
    alterDescription: (description) => ({
      ...description,
      apiResourcePolicy: description.apiResourcePolicy && { ...description.apiResourcePolicy, Statement: description.apiResourcePolicy.Statement.filter((statement) => statement.Effect !== 'Deny') },
    }),
  });

  it('refuses a dry run signed as a non-reader on every request style, and lets a configured reader peek', async () => {
    // Prepare
    const dlq = await t.seedDlq(2, 'caller');
    const dryRun = { SourceArn: dlq.dlqArn, DryRun: true, FilterPolicy: { tenant: [{ prefix: 'a' }] }, FilterPolicyScope: 'MessageBody' };
    const bob = signedAs('bob');
    t.sqsProxy.reset();

    // Act
    const refused = [
      await t.post('/StartMessageMoveTask', dryRun, bob),
      await t.post('/StartMessageMoveTask/', dryRun, bob),
      await t.post('/', dryRun, { ...bob, 'x-amz-target': 'AmazonSQS.StartMessageMoveTask', 'content-type': 'application/x-amz-json-1.0' }),
      await t.post('/', new URLSearchParams({ Action: 'StartMessageMoveTask', SourceArn: dlq.dlqArn, DryRun: 'true' }).toString(), { ...bob, 'content-type': 'application/x-www-form-urlencoded' }),
    ];
    const receivesWhileRefused = t.sqsProxy.count('AmazonSQS.ReceiveMessage');
    const peeked = await t.post(`/dlqs/${queueNameOf(dlq.dlqArn)}/peek`, {}, signedAs('reader'));

    // Assess
    expect(refused.map((answer) => [answer.status, answer.text.includes('AccessDenied')])).toEqual(Array(4).fill([403, true]));
    expect(refused[0]!.body.message).toContain(`arn:aws:iam::${ACCOUNT}:role/bob may not`);
    expect(receivesWhileRefused).toBe(0);
    expect([peeked.status, peeked.body.Messages?.length]).toEqual([200, 2]);
  });
});
