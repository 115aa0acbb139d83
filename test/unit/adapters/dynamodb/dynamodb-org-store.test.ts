import { DynamoDBClient, PutItemCommand, QueryCommand, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { DynamoDbOrgStore } from '../../../../lambda/adapters/dynamodb/dynamodb-org-store';
import { ORG_TABLE } from '../../../../lambda/adapters/dynamodb/org-table-schema';
import { ingestOrgEvent } from '../../../../lambda/domain/operations/ingest-org-event';
import { inventoryEvent, recoveryEvent, taskEvent } from '../../../support/org-events';

const ACCOUNT = '111111111111';
const NOW = new Date('2026-12-07T10:00:00.000Z');
const RETENTION_DAYS = 30;
/** what the accounts' finished task records get: now + retentionDays, in epoch seconds (transitions.ts) */
const EXPIRES_AT = String(NOW.getTime() / 1000 + RETENTION_DAYS * 86_400);

/** The value an UpdateItem sets for `attribute`, whatever placeholder names it. */
function setValue(input: UpdateItemCommandInput, attribute: string): string | undefined {
  const name = Object.entries(input.ExpressionAttributeNames ?? {}).find(([, value]) => value === attribute)?.[0];
  const match = name ? new RegExp(`${name} = (:\\w+)`).exec(input.UpdateExpression ?? '') : null;
  return match ? input.ExpressionAttributeValues?.[match[1]!]?.N : undefined;
}

describe('Class: DynamoDbOrgStore', () => {
  const ddb = mockClient(DynamoDBClient);
  beforeEach(() => {
    ddb.reset();
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
  });
  const ingesting = () => new DynamoDbOrgStore(new DynamoDBClient({}), 'org', { retentionDays: RETENTION_DAYS, now: () => NOW });
  const updates = () => ddb.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);

  describe('Method: ingest writes the TTL attribute (ORG_TABLE.timeToLiveAttribute)', () => {
    it('gives a finished task\'s row retentionDays from now, as its account\'s record has, and refreshes its DLQ and account rows', async () => {
      // Act
      const summary = await ingestOrgEvent(ingesting(), taskEvent({ account: ACCOUNT, taskId: 't-1', version: 3, status: 'CANCELLED' }));

      // Assess
      expect(summary.applied).toBe(2);
      expect(ORG_TABLE.timeToLiveAttribute).toBe('expiresAt');
      expect(ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item).toMatchObject({ pk: { S: `task#${ACCOUNT}#t-1` }, expiresAt: { N: EXPIRES_AT } });
      const [dlqRow, accountRow] = [updates().find((input) => input.Key?.pk?.S?.startsWith('dlq#')), updates().find((input) => input.Key?.pk?.S === `account#${ACCOUNT}`)];
      expect(setValue(dlqRow!, 'expiresAt')).toBe(EXPIRES_AT);
      expect(setValue(accountRow!, 'expiresAt')).toBe(EXPIRES_AT);
    });

    it('gives an active task\'s row no expiry: its account\'s record never expires while it runs', async () => {
      // Act
      await ingestOrgEvent(ingesting(), taskEvent({ account: ACCOUNT, taskId: 't-2', version: 1, status: 'RUNNING' }));

      // Assess
      expect(ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item).not.toHaveProperty('expiresAt');
    });

    it('refreshes every DLQ row an inventory run writes, live or removed, and a recovery state\'s row', async () => {
      // Act: a run a minute ago (ingest ignores times from the future)
      await ingestOrgEvent(ingesting(), inventoryEvent({ account: ACCOUNT, asOf: new Date(Date.now() - 60_000).toISOString(), dlqs: { 'a-dlq': 4 }, removed: ['gone-dlq'] }));
      await ingestOrgEvent(ingesting(), recoveryEvent({ account: ACCOUNT, queue: 'a-dlq', version: 2, to: 'PAUSED' }));

      // Assess
      const dlqRows = updates().filter((input) => input.Key?.pk?.S?.startsWith('dlq#'));
      expect(dlqRows.map((input) => input.Key!.pk!.S).sort()).toEqual([`dlq#arn:aws:sqs:us-east-1:${ACCOUNT}:a-dlq`, `dlq#arn:aws:sqs:us-east-1:${ACCOUNT}:a-dlq`, `dlq#arn:aws:sqs:us-east-1:${ACCOUNT}:gone-dlq`]);
      for (const input of dlqRows) expect(setValue(input, 'expiresAt')).toBe(EXPIRES_AT);
    });

    it('writes no expiry from a store built without one (the org API, which only reads)', async () => {
      // Act
      await ingestOrgEvent(new DynamoDbOrgStore(new DynamoDBClient({}), 'org'), taskEvent({ account: ACCOUNT, taskId: 't-3', version: 3, status: 'CANCELLED' }));

      // Assess
      expect(ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item).not.toHaveProperty('expiresAt');
      for (const input of updates()) expect(setValue(input, 'expiresAt')).toBeUndefined();
    });
  });
});
