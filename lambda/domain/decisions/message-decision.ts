// POST /dlqs/{queueName}/messages/{messageId}: the request, checked before anything is received
import type { MessageAttribute } from '../dlq-message';
import { parseQueueArn,type QueueArn } from '../queue-arn';
import { type Params, readReason } from '../requests';
import { quote, SqsError } from '../sqs-error';
import type { MessageAction } from '../task-record';

/** What to do with one message (API.md section 12). */
export interface MessageDecision {
  readonly queueName: string;
  readonly messageId: string;
  readonly action: MessageAction;
  readonly reason: string;
  readonly destination?: QueueArn;
  /** edit: the copy that is sent instead of the original */
  readonly edit?: MessageEdit;
}

export interface MessageEdit {
  readonly body: string;
  /** @default - the original's attributes */
  readonly messageAttributes?: Readonly<Record<string, MessageAttribute>>;
}

/** SQS's limit for a message, body and attributes together (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html). */
export const MAX_MESSAGE_BYTES = 262_144;
/** "Each message can have up to 10 metadata attributes" (the same page). */
export const MAX_MESSAGE_ATTRIBUTES = 10;
const ACTIONS: readonly MessageAction[] = ['retry', 'edit', 'discard'];
const FIELDS = ['Action', 'Reason', 'Body', 'MessageAttributes', 'DestinationArn'];
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;
// SQS message ids are UUIDs; anything of their alphabet up to 100 characters is taken, the rest refused
const MESSAGE_ID = /^[A-Za-z0-9-]{1,100}$/;
// SQS: "can contain alphanumeric characters, hyphens (-), underscores (_), and periods (.)", up to 256
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,200})?$/;
// SQS allows only these characters in a body (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)
// eslint-disable-next-line no-control-regex -- the point is to find characters SQS refuses
const REFUSED_CHARACTERS = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\ud800-\udfff]/;

export function parseMessageDecision(queueName: string, messageId: string, params: Params): MessageDecision {
  if (!QUEUE_NAME.test(queueName)) throw new SqsError('InvalidParameterValue', `The path must name a queue (1 to 80 of A-Z a-z 0-9 _ -, FIFO queues ending in .fifo), got ${quote(queueName)}`);
  if (!MESSAGE_ID.test(messageId)) throw new SqsError('InvalidParameterValue', `The path must end in a message's MessageId (as peek shows it), got ${quote(messageId)}`);
  for (const name of Object.keys(params)) {
    if (!FIELDS.includes(name)) throw new SqsError('InvalidParameterValue', `A message decision does not take ${quote(name)}; it takes ${FIELDS.join(', ')}`);
  }
  const action = params.Action;
  if (typeof action !== 'string' || !ACTIONS.includes(action as MessageAction)) {
    throw new SqsError(action === undefined ? 'MissingParameter' : 'InvalidParameterValue', `Action must be one of ${ACTIONS.join(', ')}, got ${quote(action)}`);
  }
  const reason = readReason(params);
  if (reason === undefined) throw new SqsError('MissingParameter', 'Reason is required: every decision on a message is recorded with who made it and why (at most 1024 characters)');
  const chosen = action as MessageAction;
  if (chosen !== 'edit' && (params.Body !== undefined || params.MessageAttributes !== undefined)) {
    throw new SqsError('InvalidParameterValue', `Body and MessageAttributes are for Action edit only; a ${chosen} ${chosen === 'retry' ? 'sends the message unchanged' : 'changes nothing'}`);
  }
  if (chosen === 'discard' && params.DestinationArn !== undefined) throw new SqsError('InvalidParameterValue', 'DestinationArn is for retry and edit: a discard sends nothing');
  const destination = params.DestinationArn === undefined ? undefined : parseQueueArn(params.DestinationArn, 'DestinationArn');
  return {
    queueName,
    messageId,
    action: chosen,
    reason,
    ...(destination ? { destination } : {}),
    ...(chosen === 'edit' ? { edit: parseEdit(params) } : {}),
  };
}

/** An edit as the request carried it, checked as the API checked it (the mover receives it so). */
export function parseEdit(params: Params): MessageEdit {
  const body = params.Body;
  if (typeof body !== 'string' || body.length === 0) throw new SqsError(body === undefined ? 'MissingParameter' : 'InvalidParameterValue', 'Body is required for an edit: the new body, a non-empty string');
  const refused = REFUSED_CHARACTERS.exec(body);
  if (refused) throw new SqsError('InvalidParameterValue', `Body holds a character SQS does not accept in a message (U+${refused[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`);
  const messageAttributes = params.MessageAttributes === undefined ? undefined : parseAttributes(params.MessageAttributes);
  const size = Buffer.byteLength(body, 'utf8') + attributeBytes(messageAttributes ?? {});
  if (size > MAX_MESSAGE_BYTES) throw new SqsError('InvalidParameterValue', `Body and MessageAttributes together must be at most ${MAX_MESSAGE_BYTES} bytes (SQS's limit), got ${size}`);
  return { body, ...(messageAttributes ? { messageAttributes } : {}) };
}

/** `{"name": {"DataType": "String" | "Number" | "Binary"(.label), "StringValue" | "BinaryValue" (base64)}}`, as SQS takes them. */
function parseAttributes(value: unknown): Record<string, MessageAttribute> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SqsError('InvalidParameterValue', 'MessageAttributes must be an object: {"name": {"DataType": "String", "StringValue": "..."}}');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) throw new SqsError('InvalidParameterValue', `MessageAttributes may hold at most ${MAX_MESSAGE_ATTRIBUTES} attributes (SQS's limit), got ${entries.length}`);
  // null prototype: an attribute may be named __proto__
  const attributes: Record<string, MessageAttribute> = Object.create(null);
  for (const [name, attribute] of entries) {
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw new SqsError('InvalidParameterValue', `MessageAttributes: ${quote(name)} is no attribute name SQS takes (A-Z a-z 0-9 _ - ., no leading, trailing or double period, not starting with AWS. or Amazon.)`);
    }
    if (typeof attribute !== 'object' || attribute === null || Array.isArray(attribute)) throw new SqsError('InvalidParameterValue', `MessageAttributes.${name} must be an object with DataType and StringValue or BinaryValue`);
    const { DataType, StringValue, BinaryValue, ...rest } = attribute as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw new SqsError('InvalidParameterValue', `MessageAttributes.${name} does not take ${quote(extra)}; it takes DataType and StringValue or BinaryValue`);
    if (typeof DataType !== 'string' || !DATA_TYPE.test(DataType)) throw new SqsError('InvalidParameterValue', `MessageAttributes.${name}.DataType must be String, Number or Binary (with an optional .label), got ${quote(DataType)}`);
    if (DataType.startsWith('Binary')) {
      if (typeof BinaryValue !== 'string' || StringValue !== undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(BinaryValue)) {
        throw new SqsError('InvalidParameterValue', `MessageAttributes.${name}: a Binary attribute takes BinaryValue, base64`);
      }
      attributes[name] = { DataType, BinaryValue: Uint8Array.from(Buffer.from(BinaryValue, 'base64')) };
      continue;
    }
    if (typeof StringValue !== 'string' || StringValue.length === 0 || BinaryValue !== undefined) {
      throw new SqsError('InvalidParameterValue', `MessageAttributes.${name}: a ${DataType.split('.')[0]} attribute takes a non-empty StringValue`);
    }
    if (DataType.startsWith('Number') && !Number.isFinite(Number(StringValue))) throw new SqsError('InvalidParameterValue', `MessageAttributes.${name}: a Number attribute's StringValue must be a number, got ${quote(StringValue)}`);
    attributes[name] = { DataType, StringValue };
  }
  return attributes;
}

/** As SQS counts them: name, data type and value of each attribute. */
function attributeBytes(attributes: Readonly<Record<string, MessageAttribute>>): number {
  let bytes = 0;
  for (const [name, attribute] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(attribute.DataType, 'utf8') + (attribute.BinaryValue?.byteLength ?? Buffer.byteLength(attribute.StringValue ?? '', 'utf8'));
  }
  return bytes;
}
