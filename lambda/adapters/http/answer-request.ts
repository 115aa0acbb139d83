import type { HttpRequest, HttpResponse, ResponseStyle } from './http-request';
import { asSqsError, renderError } from './render-error';

/**
 * Runs a request's work and answers it: the work's response, or its error rendered in the caller's
 * style. The summary (the request's log line) records the outcome; `error` is set for our own faults
 * and unavailable dependencies only, so refusals stay out of the error log.
 */
export async function answerRequest<Summary extends { outcome: string; statusCode: number }>(
  request: HttpRequest,
  style: ResponseStyle,
  summary: Summary,
  work: () => Promise<HttpResponse>,
): Promise<{ response: HttpResponse; summary: Summary; error?: unknown }> {
  try {
    const response = await work();
    summary.statusCode = response.statusCode;
    return { response, summary };
  } catch (caught) {
    const error = asSqsError(caught, request.requestId);
    summary.outcome = error.code;
    summary.statusCode = error.status;
    return { response: renderError(error, style, request.requestId), summary, ...(error.isCallerFault ? {} : { error: caught }) };
  }
}
