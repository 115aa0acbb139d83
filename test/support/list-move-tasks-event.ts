/**
 * API Gateway's event (REST, proxy integration) for a ListMessageMoveTasks in the SQS JSON protocol, as
 * the API function receives it: for invoking a bundled handler directly (own-bundles.test.ts, bench/cold-request.ts).
 */
export function listMoveTasksEvent(sourceArn = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq') {
  return {
    path: '/',
    httpMethod: 'POST',
    isBase64Encoded: false,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListMessageMoveTasks' },
    body: JSON.stringify({ SourceArn: sourceArn }),
    requestContext: { apiId: 'api', stage: 'live', requestId: 'r-1', identity: { caller: 'AIDATEST', userArn: 'arn:aws:iam::123456789012:user/ops' } },
  };
}
