import { jsonError } from './error-answers';
import { type Check, jsonBody, jsonTarget, type ServiceAnswer, type ServiceAuthorization, type ServiceRequest, type ServiceScope, stringField, UnreadableRequest } from './service-request';

/**
 * What IAM checks for a DynamoDB request (`X-Amz-Target: DynamoDB_20120810.<Action>`).
 *
 * - The resource is the table's ARN from `TableName` (a name or an ARN), or its index's
 *   (`.../table/<t>/index/<i>`) when a `Query` or `Scan` names `IndexName`.
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * - `BatchGetItem` and `BatchWriteItem` are checked once per table they name, as themselves.
 * - A transaction is checked item by item as the single actions it performs (`Put` → `dynamodb:PutItem`,
 *   `ConditionCheck` → `dynamodb:ConditionCheckItem`, ...).
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 * - `ListTables` has no resource type: `*`.
 *
 * Left out: fine-grained conditions (`dynamodb:LeadingKeys`, `dynamodb:Attributes`) get no context keys.
 */
export const dynamoDbAuthorization: ServiceAuthorization = {
  service: 'dynamodb',
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[] {
    const operation = jsonTarget(request, 'DynamoDB_20120810');
    if (!operation) throw new UnreadableRequest('a DynamoDB request names its action in X-Amz-Target (DynamoDB_20120810.<Action>)');
    const body = jsonBody(request);
    const table = (value: unknown): string => tableArnOf(value, scope, operation);
    switch (operation) {
      case 'ListTables':
        return [{ action: 'dynamodb:ListTables', resource: '*' }];
      case 'BatchGetItem':
      case 'BatchWriteItem':
        return Object.keys(objectField(body, 'RequestItems', operation)).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }));
      case 'TransactWriteItems':
      case 'TransactGetItems':
        return arrayField(body, 'TransactItems', operation).flatMap((item) => transactionChecks(item, table, operation));
      case 'Query':
      case 'Scan': {
        const index = stringField(body, 'IndexName');
        return [{ action: `dynamodb:${operation}`, resource: index ? `${table(body.TableName)}/index/${index}` : table(body.TableName) }];
      }
      default:
        return [{ action: `dynamodb:${operation}`, resource: table(body.TableName) }];
    }
  },
  denied(_request: ServiceRequest, message: string): ServiceAnswer {
    // DynamoDB's AccessDeniedException: 400, the coral service namespace, `Message` capitalized
    return jsonError(400, 'com.amazon.coral.service#AccessDeniedException', message, { messageField: 'Message' });
  },
};

const TRANSACTION_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

function transactionChecks(item: unknown, table: (value: unknown) => string, operation: string): Check[] {
  if (typeof item !== 'object' || item === null) throw new UnreadableRequest(`${operation}: an item of TransactItems is not an object`);
  return Object.entries(item as Record<string, unknown>).map(([kind, operationOnItem]) => {
    const action = TRANSACTION_ACTIONS[kind];
    if (!action) throw new UnreadableRequest(`${operation}: unknown transaction item ${kind}`);
    return { action, resource: table((operationOnItem as { TableName?: unknown } | null)?.TableName) };
  });
}

/** A table name or ARN → the table's ARN. */
function tableArnOf(value: unknown, scope: ServiceScope, operation: string): string {
  if (typeof value !== 'string' || value === '') throw new UnreadableRequest(`${operation} without TableName`);
  return value.startsWith('arn:') ? value : `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${value}`;
}

function objectField(body: Record<string, unknown>, name: string, operation: string): Record<string, unknown> {
  const value = body[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UnreadableRequest(`${operation} without ${name}`);
  return value as Record<string, unknown>;
}

function arrayField(body: Record<string, unknown>, name: string, operation: string): unknown[] {
  const value = body[name];
  if (!Array.isArray(value)) throw new UnreadableRequest(`${operation} without ${name}`);
  return value;
}
