import { asSqsError, renderError } from '../../../../lambda/adapters/http/render-error';
import { SqsError } from '../../../../lambda/domain/sqs-error';

describe('renderError', () => {
  it('answers the JSON styles with __type, message and the Query code in x-amzn-query-error', () => {
    // Act
    const response = renderError(new SqsError('UnsupportedOperation', 'not managed'), 'json', 'req-1');

    // Assess
    expect(response).toEqual({
      statusCode: 400,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'req-1',
        'x-amzn-query-error': 'AWS.SimpleQueueService.UnsupportedOperation;Sender',
      },
      body: JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: 'not managed' }),
    });
  });

  it('answers the path style as application/json and our faults as Receiver', () => {
    // Act
    const response = renderError(new SqsError('ServiceUnavailable', 'try again', 503), 'path', 'req-2');

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-amzn-query-error': 'ServiceUnavailable;Receiver' });
  });

  it('answers the Query style with an escaped <ErrorResponse>', () => {
    // Act
    const response = renderError(new SqsError('QueueDoesNotExist', 'no <queue> & such'), 'query', 'req-3');

    // Assess
    expect(response.headers).toEqual({ 'content-type': 'text/xml', 'x-amzn-requestid': 'req-3' });
    expect(response.body).toBe(
      '<?xml version="1.0"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>' +
        '<Message>no &lt;queue&gt; &amp; such</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
    );
  });
});

describe('asSqsError', () => {
  it('keeps an SqsError and hides any other error behind a fixed 500 naming the request id', () => {
    // Prepare
    const refusal = new SqsError('InvalidParameterValue', 'bad');

    // Act
    const hidden = asSqsError(new Error('secret detail'), 'req-4');

    // Assess
    expect(asSqsError(refusal, 'req-4')).toBe(refusal);
    expect(hidden).toMatchObject({ code: 'InternalFailure', status: 500, message: 'The controller failed to handle this request; its logs have request id req-4' });
    expect(hidden.message).not.toContain('secret');
  });
});
