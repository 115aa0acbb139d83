import { transformInput } from '../../../../local/template/input-transformer';

describe('transformInput', () => {
  it("builds the cancel rule's delivery: the rule's name in quotes, the whole event as JSON", () => {
    // Prepare: the transformer lib/redrive-rules.ts synthesizes
    const event = { source: 'ops', detail: { TaskHandle: 'h"1' } };

    // Act
    const input = transformInput({ InputPathsMap: { f1: '$' }, InputTemplate: '{"ruleName":"<aws.events.rule-name>","event":<f1>}' }, event, 'cancel-rule', 'arn:aws:events:us-east-1:123456789012:rule/cancel-rule');

    // Assess
    expect(input).toEqual({ ruleName: 'cancel-rule', event });
  });

  it('reads a path of the event and puts a string inside quotes as text', () => {
    expect(transformInput({ InputPathsMap: { handle: '$.detail.TaskHandle' }, InputTemplate: '{"h":"<handle>","raw":<handle>}' }, { detail: { TaskHandle: 'abc' } }, 'r', 'arn'))
      .toEqual({ h: 'abc', raw: 'abc' });
  });
});
