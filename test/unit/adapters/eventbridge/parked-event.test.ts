import { eventToApply } from '../../../../lambda/adapters/eventbridge/parked-event';
import { parseOrgEvent } from '../../../../lambda/domain/org/org-change';
import { taskEvent } from '../../../support/org-events';

describe('eventToApply', () => {
  const event = taskEvent({ account: '111111111111', taskId: 't-1', version: 2, status: 'RUNNING' });

  it('takes an event as EventBridge delivers it, and as its dead-letter queue keeps it', () => {
    expect(eventToApply(event)).toBe(event);
  });

  it("unwraps Lambda's on-failure record, so a parked failure can be applied by invoking the function with it", () => {
    // Prepare: the shape Lambda's on-failure destination sends to SQS
    const record = {
      version: '1.0',
      timestamp: '2026-12-02T10:00:00.000Z',
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:eu-west-1:444455556666:function:org-ingest:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'the table is throttled' },
    };

    // Act / Assess
    expect(eventToApply(record)).toBe(event);
    expect(parseOrgEvent(eventToApply(record) as typeof event)).toMatchObject({ kind: 'task', task: { taskId: 't-1', version: 2 } });
  });
});
