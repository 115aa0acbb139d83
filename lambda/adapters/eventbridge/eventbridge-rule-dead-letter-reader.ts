import { type EventBridgeClient, ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';

import type { RuleDeadLetterReader, RuleRef, RuleTargetDeadLetter } from '../../domain/dlq/dlq-owner-reader';
import { inputTransformationOf } from '../../domain/replay/rule-target-settings';

/** EventBridge's largest pages: Limit up to 100 for ListEventBuses, ListRules and ListTargetsByRule. */
const PAGE = 100;

/**
 * RuleDeadLetterReader on the AWS SDK's EventBridgeClient: every bus (ListEventBuses), its rules
 * (ListRules), each rule's targets with their DeadLetterConfig, input transformation and FIFO message group (ListTargetsByRule,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html).
 */
export class EventBridgeRuleDeadLetterReader implements RuleDeadLetterReader {
  constructor(private readonly client: EventBridgeClient) {}

  async listEventBuses(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const output = await this.client.send(new ListEventBusesCommand({ Limit: PAGE, ...(token ? { NextToken: token } : {}) }));
      for (const bus of output.EventBuses ?? []) if (bus.Name) names.push(bus.Name);
      token = output.NextToken;
    } while (token);
    return names;
  }

  async listRules(eventBusName: string): Promise<RuleRef[]> {
    const rules: RuleRef[] = [];
    let token: string | undefined;
    try {
      do {
        const output = await this.client.send(new ListRulesCommand({ EventBusName: eventBusName, Limit: PAGE, ...(token ? { NextToken: token } : {}) }));
        for (const rule of output.Rules ?? []) if (rule.Name && rule.Arn) rules.push({ name: rule.Name, arn: rule.Arn, eventBusName });
        token = output.NextToken;
      } while (token);
    } catch (error) {
      // the bus was deleted since ListEventBuses
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
    return rules;
  }

  async listTargets(rule: RuleRef): Promise<RuleTargetDeadLetter[]> {
    const targets: RuleTargetDeadLetter[] = [];
    let token: string | undefined;
    try {
      do {
        const output = await this.client.send(new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: rule.eventBusName, Limit: PAGE, ...(token ? { NextToken: token } : {}) }));
        for (const target of output.Targets ?? []) {
          if (!target.Arn) continue;
          const deadLetterArn = target.DeadLetterConfig?.Arn;
          // what EventBridge sends the target: a replay must know whether it is the event as matched
          const inputTransformation = inputTransformationOf(target);
          const messageGroupId = target.SqsParameters?.MessageGroupId;
          targets.push({ targetArn: target.Arn, ...(deadLetterArn ? { deadLetterArn } : {}), ...(inputTransformation ? { inputTransformation } : {}), ...(messageGroupId ? { messageGroupId } : {}) });
        }
        token = output.NextToken;
      } while (token);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
    return targets;
  }
}
