/** A protocol-neutral HTTP request: what the API Gateway adapter and the router share. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** lower-cased names */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
  readonly requestId: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The caller's style decides the answer's format. */
export type ResponseStyle = 'path' | 'json' | 'query';

/** Bodies are capped before parsing; the three actions need a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
