/**
 * How a rule's target reshapes the matched event before EventBridge sends it: `Input` (a constant),
 * `InputPath` (a part of the event) or `InputTransformer` (a template), as PutTargets and
 * ListTargetsByRule name them (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html).
 */
export type InputTransformation = 'Input' | 'InputPath' | 'InputTransformer';

/** What a rule's target says, beyond its ARN, that changes what EventBridge delivers to it. */
export interface RuleTargetSettings {
  readonly ruleArn: string;
  readonly targetArn: string;
  /** the target reshapes its input; @default - the event as matched */
  readonly inputTransformation?: InputTransformation;
  /** a FIFO queue target's SqsParameters.MessageGroupId (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_SqsParameters.html) */
  readonly messageGroupId?: string;
}

/** Which of the target's fields reshape its input, the most specific first (EventBridge takes one of them). */
export function inputTransformationOf(target: { readonly Input?: string; readonly InputPath?: string; readonly InputTransformer?: unknown }): InputTransformation | undefined {
  if (target.InputTransformer !== undefined && target.InputTransformer !== null) return 'InputTransformer';
  if (target.InputPath !== undefined && target.InputPath !== '') return 'InputPath';
  if (target.Input !== undefined && target.Input !== '') return 'Input';
  return undefined;
}

/** The settings that matter to a replay (a transformation or a message group), or undefined when a target has none. */
export function settingsWorthKeeping(settings: RuleTargetSettings): RuleTargetSettings | undefined {
  return settings.inputTransformation !== undefined || settings.messageGroupId !== undefined ? settings : undefined;
}
