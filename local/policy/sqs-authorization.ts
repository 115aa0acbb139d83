import { jsonError, queryError } from './error-answers';
import { type Check, jsonBody, jsonTarget, queryParameters, type ServiceAnswer, type ServiceAuthorization, type ServiceRequest, type ServiceScope, stringField, UnreadableRequest } from './service-request';

/**
 * What IAM checks for an SQS request, in both of SQS's protocols: JSON (`X-Amz-Target:
 * AmazonSQS.<Action>`, what the SDK v3 sends) and Query (`Action=<Action>`, form-encoded).
 *
 * - The resource is the queue's ARN, from `QueueUrl` (`.../<account>/<name>`), `QueueName`, or the move
 *   task's `SourceArn` / `TaskHandle`. `ListQueues` has no resource type: `*`.
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 * - A batch call is authorized as its single action (`SendMessageBatch` → `sqs:SendMessage`).
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 * - A message move task acts with its caller's rights: start, cancel and list also need
 *   `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes` on the source, and start
 *   `sqs:SendMessage` on `DestinationArn`.
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues-cloudtrail.html
 *
 * Left out: a start without `DestinationArn` moves messages to their original sources, which the
 * request does not name; those `sqs:SendMessage` checks are not made here.
 */
export const sqsAuthorization: ServiceAuthorization = {
  service: 'sqs',
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[] {
    const json = jsonTarget(request, 'AmazonSQS');
    const parameters = json === undefined ? queryParameters(request) : undefined;
    const operation = json ?? parameters?.get('Action') ?? undefined;
    if (!operation) throw new UnreadableRequest('an SQS request names its action in X-Amz-Target (JSON) or Action (Query)');
    const field = (name: string): string | undefined => (json !== undefined ? stringField(jsonBody(request), name) : parameters!.get(name) ?? undefined);
    const required = (name: string): string => {
      const value = field(name);
      if (value === undefined) throw new UnreadableRequest(`${operation} without ${name}`);
      return value;
    };
    const queueArn = (): string => {
      // the Query protocol may name the queue by the request's path instead
      const url = field('QueueUrl') ?? (json === undefined && new URL(request.url, 'http://local').pathname !== '/' ? request.url : undefined);
      if (url === undefined) throw new UnreadableRequest(`${operation} without QueueUrl`);
      return queueArnOf(url, scope);
    };
    const single = BATCH_ACTIONS[operation] ?? operation;
    switch (operation) {
      case 'ListQueues':
        return [{ action: 'sqs:ListQueues', resource: '*' }];
      case 'CreateQueue':
        return [{ action: 'sqs:CreateQueue', resource: arn(scope, scope.accountId, required('QueueName')) }];
      case 'GetQueueUrl':
        return [{ action: 'sqs:GetQueueUrl', resource: arn(scope, field('QueueOwnerAWSAccountId') ?? scope.accountId, required('QueueName')) }];
      case 'StartMessageMoveTask': {
        const source = required('SourceArn');
        const destination = field('DestinationArn');
        return [...moveTaskChecks('sqs:StartMessageMoveTask', source), ...(destination ? [{ action: 'sqs:SendMessage', resource: destination }] : [])];
      }
      case 'ListMessageMoveTasks':
        return moveTaskChecks('sqs:ListMessageMoveTasks', required('SourceArn'));
      case 'CancelMessageMoveTask': {
        // a handle that names no queue is SQS's InvalidParameterValue, which the emulator answers
        const source = sourceArnOfHandle(required('TaskHandle'));
        return source === undefined ? [] : moveTaskChecks('sqs:CancelMessageMoveTask', source);
      }
      default:
        return [{ action: `sqs:${single}`, resource: queueArn() }];
    }
  },
  // SQS writes the action in lower case: "... not authorized to perform: sqs:receivemessage on resource: ..."
  actionInMessage: (action: string) => action.toLowerCase(),
  denied(request: ServiceRequest, message: string): ServiceAnswer {
    // JSON: the SDK names the error by x-amzn-query-error's code (`AccessDenied`), as the Query protocol did
    return jsonTarget(request, 'AmazonSQS') !== undefined
      ? jsonError(403, 'com.amazon.coral.service#AccessDeniedException', message, { headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } })
      : queryError(403, 'AccessDenied', message);
  },
};

const BATCH_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function moveTaskChecks(action: string, source: string): Check[] {
  return [action, 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((one) => ({ action: one, resource: source }));
}

function arn(scope: ServiceScope, account: string, name: string): string {
  return `arn:aws:sqs:${scope.region}:${account}:${name}`;
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (or the emulator's host) → the queue's ARN. */
export function queueArnOf(queueUrl: string, scope: ServiceScope): string {
  let path: string;
  try {
    path = new URL(queueUrl, 'http://local').pathname;
  } catch {
    throw new UnreadableRequest(`QueueUrl is not a URL: ${queueUrl}`);
  }
  const match = /^\/(\d{12})\/([^/]+)\/?$/.exec(path);
  if (!match) throw new UnreadableRequest(`QueueUrl names no queue (/<account>/<name>): ${queueUrl}`);
  return arn(scope, match[1]!, decodeURIComponent(match[2]!));
}

/** A move task's handle is base64 JSON naming its source queue (the SQS reference's own sample). */
function sourceArnOfHandle(handle: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    const source = (decoded as { sourceArn?: unknown } | null)?.sourceArn;
    return typeof source === 'string' && source.startsWith('arn:') ? source : undefined;
  } catch {
    return undefined;
  }
}
