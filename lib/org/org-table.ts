import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

import { ORG_TABLE } from '../../lambda/adapters/dynamodb/org-table-schema';

/**
 * The org read model, keyed and indexed by `ORG_TABLE` (the store and the local stack read the
 * same data). On-demand. Kept as an account's task table is: retained when the stack is deleted,
 * protected from deletion, point-in-time recovery on; its rows expire by TTL in step with the
 * accounts' records (`expiresAt`, written by org ingest), so it neither vanishes nor grows forever.
 * The accounts' events can refill it only for the hour the inventory resends, not the history.
 */
export class OrgTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: ORG_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: ORG_TABLE.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    for (const index of Object.values(ORG_TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: index.sortType === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
