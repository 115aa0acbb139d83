// what a replayed message is delivered to, by the kind its ARN names
/**
 * The kinds of target a replay delivers to, each as EventBridge delivers to it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html): a function is invoked
 * asynchronously, a queue gets SendMessage, a topic Publish, a bus PutEvents.
 */
export const TargetKind = {
  FUNCTION: 'function',
  QUEUE: 'queue',
  TOPIC: 'topic',
  BUS: 'bus',
} as const;
export type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];

export interface TargetArn {
  readonly arn: string;
  readonly kind: TargetKind;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** the function, queue, topic or bus name */
  readonly name: string;
  /** functions: the version or alias the ARN names (`$LATEST`, `3`, `live`) */
  readonly qualifier?: string;
}

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)';
const REGION = '([a-z]{2}(?:-[a-z]+)+-\\d{1,2})';
const ACCOUNT = '(\\d{12})';
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax (FunctionName, Qualifier)
const FUNCTION_ARN = new RegExp(`^arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`);
const QUEUE_ARN = new RegExp(`^arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:((?:[A-Za-z0-9_-]{1,75}\\.fifo)|[A-Za-z0-9_-]{1,80})$`);
// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (256 characters, .fifo for FIFO topics)
const TOPIC_ARN = new RegExp(`^arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:([A-Za-z0-9_-]{1,256}(?:\\.fifo)?)$`);
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EventBus.html (a partner bus's name holds '/')
const BUS_ARN = new RegExp(`^arn:${PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/([/\\.\\-_A-Za-z0-9]{1,256})$`);

/** The ARN's kind and parts, or undefined for any other kind of resource (a state machine, a stream, an API destination...). */
export function parseTargetArn(value: string): TargetArn | undefined {
  const fn = FUNCTION_ARN.exec(value);
  if (fn) return { arn: value, kind: TargetKind.FUNCTION, partition: fn[1]!, region: fn[2]!, accountId: fn[3]!, name: fn[4]!, ...(fn[5] ? { qualifier: fn[5] } : {}) };
  for (const [pattern, kind] of [[QUEUE_ARN, TargetKind.QUEUE], [TOPIC_ARN, TargetKind.TOPIC], [BUS_ARN, TargetKind.BUS]] as const) {
    const match = pattern.exec(value);
    if (match) return { arn: value, kind, partition: match[1]!, region: match[2]!, accountId: match[3]!, name: match[4]! };
  }
  return undefined;
}

/** The service an ARN names (`states`, `kinesis`...), for a reason that says what was not routed. */
export function serviceOfArn(value: string): string {
  return /^arn:[^:]+:([^:]+):/.exec(value)?.[1] ?? 'unknown';
}

/** A FIFO queue or topic: its messages need a MessageGroupId. */
export function isFifoTarget(target: TargetArn): boolean {
  return (target.kind === TargetKind.QUEUE || target.kind === TargetKind.TOPIC) && target.name.endsWith('.fifo');
}

/** The function's ARN without its version or alias: the function a qualified ARN belongs to. */
export function unqualifiedFunctionArn(target: TargetArn): string {
  return `arn:${target.partition}:lambda:${target.region}:${target.accountId}:function:${target.name}`;
}
