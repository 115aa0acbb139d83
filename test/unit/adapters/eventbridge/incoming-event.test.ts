import { toIncomingEvent, UNNAMED_RULE } from '../../../../lambda/adapters/eventbridge/incoming-event';
import cancelEvent from '../../../fixtures/events/cancel-message-move-task.json';

describe('toIncomingEvent', () => {
  it("reads the stack's delivery: the rule name and the event, with the account and region EventBridge set", () => {
    expect(toIncomingEvent({ ruleName: 'RedriveStack-CancelEventRule1A2B3C', event: cancelEvent })).toEqual({
      ok: true,
      event: {
        id: cancelEvent.id,
        source: 'com.example.deploy-pipeline',
        account: '123456789012',
        region: 'us-east-1',
        detailType: 'Cancel Message Move Task',
        detail: cancelEvent.detail,
        ruleName: 'RedriveStack-CancelEventRule1A2B3C',
      },
    });
  });

  it('accepts a bare EventBridge event, naming no rule', () => {
    expect(toIncomingEvent(cancelEvent)).toMatchObject({ ok: true, event: { ruleName: UNNAMED_RULE, source: 'com.example.deploy-pipeline' } });
  });

  it.each([
    ['not an object', 'cancel', /not a JSON object/],
    ['an object without source', { 'detail-type': 'Cancel Message Move Task' }, /"source" and "detail-type" must be strings/],
    ['a wrapper around nothing', { ruleName: 'r', event: null }, /"source" and "detail-type" must be strings/],
  ])('refuses a payload that is %s', (_, payload, reason) => {
    expect(toIncomingEvent(payload)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});
