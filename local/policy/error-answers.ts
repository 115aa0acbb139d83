import { randomUUID } from 'node:crypto';

import type { ServiceAnswer } from './service-request';

/** An AWS JSON-protocol error (`application/x-amz-json-1.0` / `1.1`): `__type` names it for the SDK. */
export function jsonError(status: number, type: string, message: string, options: { readonly jsonVersion?: '1.0' | '1.1'; readonly headers?: Record<string, string>; readonly messageField?: 'message' | 'Message' } = {}): ServiceAnswer {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${options.jsonVersion ?? '1.0'}`, 'x-amzn-requestid': randomUUID(), ...options.headers },
    body: JSON.stringify({ __type: type, [options.messageField ?? 'message']: message }),
  };
}

/** An AWS Query-protocol error (XML `ErrorResponse`), as SQS and CloudWatch answer form-encoded requests. */
export function queryError(status: number, code: string, message: string): ServiceAnswer {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
