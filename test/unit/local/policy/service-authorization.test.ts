import { cloudWatchAuthorization } from '../../../../local/policy/cloudwatch-authorization';
import { dynamoDbAuthorization } from '../../../../local/policy/dynamodb-authorization';
import { eventsAuthorization } from '../../../../local/policy/events-authorization';
import { lambdaAuthorization } from '../../../../local/policy/lambda-authorization';
import { s3Authorization } from '../../../../local/policy/s3-authorization';
import { type ServiceAuthorization, type ServiceRequest, UnreadableRequest } from '../../../../local/policy/service-request';
import { sqsAuthorization } from '../../../../local/policy/sqs-authorization';

const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const Q = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const DEST = 'arn:aws:sqs:us-east-1:123456789012:orders';
const QURL = 'http://127.0.0.1:9324/123456789012/orders-dlq';
const T = 'arn:aws:dynamodb:us-east-1:123456789012:table/tasks';
const json = (target: string, body: unknown): ServiceRequest => ({ method: 'POST', url: '/', headers: { 'x-amz-target': target }, body: JSON.stringify(body) });
const form = (body: string, url = '/'): ServiceRequest => ({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const pairs = (service: ServiceAuthorization, request: ServiceRequest) => service.checks(request, SCOPE).map((check) => `${check.action} ${check.resource}`);
const handle = Buffer.from(JSON.stringify({ taskId: 't-1', sourceArn: Q })).toString('base64');

describe('what IAM checks for each request', () => {
  it.each<[string, ServiceAuthorization, ServiceRequest, string[]]>([
    ['SQS JSON: the queue of a QueueUrl', sqsAuthorization, json('AmazonSQS.ReceiveMessage', { QueueUrl: QURL }), [`sqs:ReceiveMessage ${Q}`]],
    ['SQS Query: Action and QueueUrl in the form', sqsAuthorization, form(`Action=DeleteMessage&QueueUrl=${encodeURIComponent(QURL)}&ReceiptHandle=r`), [`sqs:DeleteMessage ${Q}`]],
    ['SQS Query: the queue in the path', sqsAuthorization, form('Action=GetQueueAttributes', '/123456789012/orders-dlq'), [`sqs:GetQueueAttributes ${Q}`]],
    ['SQS: a batch as its single action', sqsAuthorization, json('AmazonSQS.SendMessageBatch', { QueueUrl: QURL, Entries: [] }), [`sqs:SendMessage ${Q}`]],
    ['SQS: ChangeMessageVisibilityBatch', sqsAuthorization, json('AmazonSQS.ChangeMessageVisibilityBatch', { QueueUrl: QURL }), [`sqs:ChangeMessageVisibility ${Q}`]],
    ['SQS: ListQueues on *', sqsAuthorization, json('AmazonSQS.ListQueues', {}), ['sqs:ListQueues *']],
    ['SQS: GetQueueUrl by name', sqsAuthorization, json('AmazonSQS.GetQueueUrl', { QueueName: 'orders-dlq' }), [`sqs:GetQueueUrl ${Q}`]],
    ['SQS: a move task start, with the source and destination rights it uses', sqsAuthorization, json('AmazonSQS.StartMessageMoveTask', { SourceArn: Q, DestinationArn: DEST }),
      [`sqs:StartMessageMoveTask ${Q}`, `sqs:ReceiveMessage ${Q}`, `sqs:DeleteMessage ${Q}`, `sqs:GetQueueAttributes ${Q}`, `sqs:SendMessage ${DEST}`]],
    ['SQS: a cancel, on the source its handle names', sqsAuthorization, json('AmazonSQS.CancelMessageMoveTask', { TaskHandle: handle }),
      [`sqs:CancelMessageMoveTask ${Q}`, `sqs:ReceiveMessage ${Q}`, `sqs:DeleteMessage ${Q}`, `sqs:GetQueueAttributes ${Q}`]],
    ['SQS: a cancel with a handle naming nothing (SQS itself refuses it)', sqsAuthorization, json('AmazonSQS.CancelMessageMoveTask', { TaskHandle: 'not-a-handle' }), []],
    ['DynamoDB: a table by name', dynamoDbAuthorization, json('DynamoDB_20120810.GetItem', { TableName: 'tasks' }), [`dynamodb:GetItem ${T}`]],
    ['DynamoDB: a table by ARN', dynamoDbAuthorization, json('DynamoDB_20120810.PutItem', { TableName: T }), [`dynamodb:PutItem ${T}`]],
    ['DynamoDB: a Query on an index', dynamoDbAuthorization, json('DynamoDB_20120810.Query', { TableName: 'tasks', IndexName: 'by-source' }), [`dynamodb:Query ${T}/index/by-source`]],
    ['DynamoDB: BatchGetItem per table', dynamoDbAuthorization, json('DynamoDB_20120810.BatchGetItem', { RequestItems: { tasks: {}, other: {} } }),
      [`dynamodb:BatchGetItem ${T}`, 'dynamodb:BatchGetItem arn:aws:dynamodb:us-east-1:123456789012:table/other']],
    ['DynamoDB: a transaction as its single actions', dynamoDbAuthorization, json('DynamoDB_20120810.TransactWriteItems', { TransactItems: [{ Put: { TableName: 'tasks' } }, { ConditionCheck: { TableName: 'tasks' } }, { Delete: { TableName: 'tasks' } }] }),
      [`dynamodb:PutItem ${T}`, `dynamodb:ConditionCheckItem ${T}`, `dynamodb:DeleteItem ${T}`]],
    ['EventBridge: each entry on its bus, by name, ARN or default', eventsAuthorization, json('AWSEvents.PutEvents', { Entries: [{ EventBusName: 'redrive-controller' }, { EventBusName: 'arn:aws:events:us-east-1:210987654321:event-bus/org' }, {}] }),
      ['events:PutEvents arn:aws:events:us-east-1:123456789012:event-bus/redrive-controller', 'events:PutEvents arn:aws:events:us-east-1:210987654321:event-bus/org', 'events:PutEvents arn:aws:events:us-east-1:123456789012:event-bus/default']],
    ['Lambda: Invoke by name', lambdaAuthorization, { method: 'POST', url: '/2015-03-31/functions/mover/invocations', headers: {}, body: '{}' }, ['lambda:InvokeFunction arn:aws:lambda:us-east-1:123456789012:function:mover']],
    ['Lambda: Invoke by qualified ARN', lambdaAuthorization, { method: 'POST', url: `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:mover:live')}/invocations`, headers: {}, body: '' }, ['lambda:InvokeFunction arn:aws:lambda:us-east-1:123456789012:function:mover:live']],
    ['Lambda: ListFunctions on * (no resource type)', lambdaAuthorization, { method: 'GET', url: '/2015-03-31/functions/?MaxItems=50', headers: {}, body: '' }, ['lambda:ListFunctions *']],
    ['Lambda: GetFunctionEventInvokeConfig on the function', lambdaAuthorization, { method: 'GET', url: '/2019-09-25/functions/orders/event-invoke-config', headers: {}, body: '' }, ['lambda:GetFunctionEventInvokeConfig arn:aws:lambda:us-east-1:123456789012:function:orders']],
    ['Lambda: ListFunctionEventInvokeConfigs on the function', lambdaAuthorization, { method: 'GET', url: '/2019-09-25/functions/orders/event-invoke-config/list', headers: {}, body: '' }, ['lambda:ListFunctionEventInvokeConfigs arn:aws:lambda:us-east-1:123456789012:function:orders']],
    ['Lambda: GetFunctionConfiguration on the function', lambdaAuthorization, { method: 'GET', url: '/2015-03-31/functions/orders/configuration', headers: {}, body: '' }, ['lambda:GetFunctionConfiguration arn:aws:lambda:us-east-1:123456789012:function:orders']],
    ['EventBridge: ListRules on * (no resource type)', eventsAuthorization, json('AWSEvents.ListRules', { EventBusName: 'orders' }), ['events:ListRules *']],
    ['EventBridge: ListTargetsByRule on a default-bus rule', eventsAuthorization, json('AWSEvents.ListTargetsByRule', { Rule: 'placed' }), ['events:ListTargetsByRule arn:aws:events:us-east-1:123456789012:rule/placed']],
    ['EventBridge: DescribeRule on another bus, named by ARN', eventsAuthorization, json('AWSEvents.DescribeRule', { Name: 'placed', EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }), ['events:DescribeRule arn:aws:events:us-east-1:123456789012:rule/orders/placed']],
    ['CloudWatch JSON: GetMetricData on *', cloudWatchAuthorization, json('GraniteServiceVersion20100801.GetMetricData', {}), ['cloudwatch:GetMetricData *']],
    ['CloudWatch: an alarm action on the alarms it names', cloudWatchAuthorization, json('GraniteServiceVersion20100801.DescribeAlarms', { AlarmNames: ['a', 'b'] }),
      ['cloudwatch:DescribeAlarms arn:aws:cloudwatch:us-east-1:123456789012:alarm:a', 'cloudwatch:DescribeAlarms arn:aws:cloudwatch:us-east-1:123456789012:alarm:b']],
    ['CloudWatch Query: SetAlarmState', cloudWatchAuthorization, form('Action=SetAlarmState&AlarmName=a&StateValue=ALARM'), ['cloudwatch:SetAlarmState arn:aws:cloudwatch:us-east-1:123456789012:alarm:a']],
    ['S3 stub: an object', s3Authorization, { method: 'GET', url: '/archive/dlq/1.json', headers: {}, body: '' }, ['s3:GetObject arn:aws:s3:::archive/dlq/1.json']],
  ])('%s', (_case, service, request, expected) => {
    expect(pairs(service, request)).toEqual(expected);
  });

  it('gives PutEvents the entry\'s source and detail-type as list-typed context keys', () => {
    const [check] = eventsAuthorization.checks(json('AWSEvents.PutEvents', { Entries: [{ Source: 'redrive-controller', DetailType: 'Redrive Task Started' }] }), SCOPE);
    expect(check?.context).toEqual({ 'events:source': ['redrive-controller'], 'events:detail-type': ['Redrive Task Started'] });
  });

  it.each<[string, ServiceAuthorization, ServiceRequest]>([
    ['SQS without an action', sqsAuthorization, { method: 'POST', url: '/', headers: {}, body: '' }],
    ['SQS with a QueueUrl naming no queue', sqsAuthorization, json('AmazonSQS.ReceiveMessage', { QueueUrl: 'http://127.0.0.1:9324/' })],
    ['DynamoDB without TableName', dynamoDbAuthorization, json('DynamoDB_20120810.GetItem', {})],
    ['DynamoDB with a body that is no JSON', dynamoDbAuthorization, { method: 'POST', url: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{' }],
    ['EventBridge: an action other than PutEvents', eventsAuthorization, json('AWSEvents.PutRule', {})],
    ['EventBridge: ListTargetsByRule without its rule', eventsAuthorization, json('AWSEvents.ListTargetsByRule', {})],
    ['Lambda: a control-plane write', lambdaAuthorization, { method: 'PUT', url: '/2019-09-25/functions/orders/event-invoke-config', headers: {}, body: '{}' }],
  ])('fails to read %s, so the proxy refuses it rather than guess', (_case, service, request) => {
    expect(() => service.checks(request, SCOPE)).toThrow(UnreadableRequest);
  });
});

describe('how each service says AccessDenied', () => {
  const message = 'User: arn:aws:iam::123456789012:role/x is not authorized to perform: sqs:SendMessage on resource: q';

  it('SQS JSON: the coral type, and the Query code the SDK names the error by', () => {
    const answer = sqsAuthorization.denied(json('AmazonSQS.SendMessage', {}), message);
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-query-error']).toBe('AccessDenied;Sender');
    expect(JSON.parse(answer.body)).toEqual({ __type: 'com.amazon.coral.service#AccessDeniedException', message });
  });

  it('SQS Query: an XML ErrorResponse with Sender and AccessDenied', () => {
    const answer = sqsAuthorization.denied(form('Action=SendMessage'), message);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/<Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>User: arn:aws:iam::123456789012:role\/x is not authorized/);
  });

  it('DynamoDB: 400 with Message capitalized, as DynamoDB writes it', () => {
    const answer = dynamoDbAuthorization.denied(json('DynamoDB_20120810.GetItem', {}), message);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message });
  });

  it('Lambda: 403 with the error type in x-amzn-errortype', () => {
    const answer = lambdaAuthorization.denied({ method: 'POST', url: '/2015-03-31/functions/x/invocations', headers: {}, body: '' }, message);
    expect(answer).toMatchObject({ status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' } });
  });

  it('S3: 403 with an XML Error naming no principal', () => {
    expect(s3Authorization.denied({ method: 'GET', url: '/b/k', headers: {}, body: '' }, message)).toMatchObject({ status: 403, body: expect.stringContaining('<Code>AccessDenied</Code>') });
  });
});
