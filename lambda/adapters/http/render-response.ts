import type { WireRecord } from '../task-view';
import type { ActionName } from './action-name';
import type { HttpResponse, ResponseStyle } from './http-request';
import { element, escapeXml } from './xml';

export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Query protocol: SQS serializes list members flattened, one element per entry, named thus. */
const LIST_ENTRY_NAMES: Record<string, string> = { Results: 'ListMessageMoveTasksResultEntry' };

export function renderAction(style: ResponseStyle, action: ActionName, output: WireRecord, requestId: string): HttpResponse {
  if (style === 'query') {
    const body =
      `<?xml version="1.0"?>\n<${action}Response xmlns="${SQS_XML_NAMESPACE}">` +
      element(`${action}Result`, recordXml(output)) +
      element('ResponseMetadata', element('RequestId', escapeXml(requestId))) +
      `</${action}Response>`;
    return { statusCode: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
  }
  return renderJson(200, output, requestId, style === 'json' ? 'application/x-amz-json-1.0' : 'application/json');
}

export function renderJson(statusCode: number, body: unknown, requestId: string, contentType = 'application/json'): HttpResponse {
  return { statusCode, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
}

function recordXml(record: WireRecord): string {
  let xml = '';
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const entryName = LIST_ENTRY_NAMES[name] ?? name;
      for (const entry of value as readonly WireRecord[]) xml += element(entryName, recordXml(entry));
    } else {
      xml += element(name, escapeXml(String(value)));
    }
  }
  return xml;
}
