import type { InputTransformation } from '../replay/rule-target-settings';

/** A function as ListFunctions tells it: its ARN and its asynchronous dead-letter queue or topic, if any. */
export interface FunctionDeadLetterConfig {
  readonly functionArn: string;
  /** DeadLetterConfig.TargetArn: an SQS queue or SNS topic ARN */
  readonly deadLetterTargetArn?: string;
}

/** A rule as ListRules tells it. */
export interface RuleRef {
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
}

/** A rule's target as ListTargetsByRule tells it. */
export interface RuleTargetDeadLetter {
  readonly targetArn: string;
  /** the target's DeadLetterConfig.Arn (always an SQS queue) */
  readonly deadLetterArn?: string;
  /** Input, InputPath or InputTransformer, when the target has one */
  readonly inputTransformation?: InputTransformation;
  /** SqsParameters.MessageGroupId (FIFO queue targets) */
  readonly messageGroupId?: string;
}

/**
 * Reads who can fail into a queue (API.md section 11): Lambda's and EventBridge's list calls. Each
 * method pages through its whole answer; throttling is retried by the adapter's SDK client, and what
 * still fails rejects (the inventory then keeps the owners it knew).
 */
export interface DlqOwnerReader extends FunctionDeadLetterReader, RuleDeadLetterReader {}

/** Lambda's part of DlqOwnerReader. */
export interface FunctionDeadLetterReader {
  /** every function of the account and region (ListFunctions, unqualified: each function's $LATEST configuration) */
  listFunctions(): Promise<FunctionDeadLetterConfig[]>;
  /** the OnFailure destinations of every asynchronous invocation configuration of the function (all its qualifiers) */
  onFailureDestinations(functionArn: string): Promise<string[]>;
}

/** EventBridge's part of DlqOwnerReader. */
export interface RuleDeadLetterReader {
  /** every event bus's name */
  listEventBuses(): Promise<string[]>;
  listRules(eventBusName: string): Promise<RuleRef[]>;
  listTargets(rule: RuleRef): Promise<RuleTargetDeadLetter[]>;
}
