// The CLI's only way in: the controller's HTTP API, so every rule the API enforces applies.
import { createSigner, needsSignature, regionOf, type RequestSigner } from './sign-request';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** An error answer of the API: SQS's `{"__type", "message"}` body, or whatever the gateway said. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  /** @default - signed when the URL is not a loopback address */
  readonly sign?: boolean;
  readonly region?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export class ApiClient {
  private signer?: Promise<RequestSigner>;
  readonly baseUrl: URL;

  constructor(private readonly options: ApiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ApiError(`the API URL must be an http(s) URL, got "${options.baseUrl}"`, 'InvalidApiUrl', 0);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ApiError(`the API URL must be an http(s) URL, got "${options.baseUrl}"`, 'InvalidApiUrl', 0);
    }
    // keep a stage prefix such as /prod as a directory
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.baseUrl = url;
  }

  get signs(): boolean {
    return this.options.sign ?? needsSignature(this.baseUrl);
  }

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = this.urlOf(path);
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, value);
    return this.send<T>('GET', url);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', this.urlOf(path), JSON.stringify(body));
  }

  /** A raw exchange, for the dashboard proxy: the caller's method, path and body, signed as needed. */
  async forward(method: string, pathAndQuery: string, headers: Record<string, string>, body?: string): Promise<Response> {
    const url = this.urlOf(pathAndQuery);
    return fetch(url, { method, headers: await this.headersFor(method, url, headers, body), ...(body === undefined ? {} : { body }) });
  }

  /**
   * A path under the API's base URL, never anywhere else: signed requests carry the operator's
   * credentials, so a target that resolves to another origin (`http://other/`, `\\\\other`) or
   * outside the stage is refused before anything is signed.
   */
  urlOf(pathAndQuery: string): URL {
    const url = new URL(pathAndQuery.replace(/^\/+/, ''), this.baseUrl);
    if (url.origin !== this.baseUrl.origin || !url.pathname.startsWith(this.baseUrl.pathname)) {
      throw new ApiError(`refusing to send a request outside the API (${this.baseUrl.href}): ${JSON.stringify(pathAndQuery.slice(0, 100))}`, 'InvalidPath', 0);
    }
    return url;
  }

  /**
   * Resolves the AWS credentials by signing a request that is never sent: fails with the same
   * CredentialsError a command would, before a long-running command (the dashboard) starts.
   */
  async checkCredentials(): Promise<void> {
    try {
      await this.headersFor('GET', this.urlOf('health'), { accept: 'application/json' });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw credentialsError(error);
    }
  }

  private async send<T>(method: string, url: URL, body?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    let signed: Record<string, string>;
    try {
      signed = await this.headersFor(method, url, headers, body);
    } catch (error) {
      // signing happens before anything is sent: the API was never contacted
      if (error instanceof ApiError) throw error;
      throw credentialsError(error);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers: signed, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(`could not reach the API at ${this.baseUrl.origin} (${cause?.code ?? cause?.message ?? String(error)})`, 'NetworkError', 0);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const errorBody = (parsed ?? {}) as { __type?: string; message?: string; Message?: string };
      const code = errorBody.__type?.split('#').pop() ?? `HTTP${response.status}`;
      // API Gateway's own refusals (IAM) say {"message": ...} or {"Message": ...}
      const message = errorBody.message ?? errorBody.Message ?? `the API answered HTTP ${response.status} ${response.statusText}`;
      throw new ApiError(message, code, response.status);
    }
    if (parsed === undefined) throw new ApiError(`the API answered something other than JSON (HTTP ${response.status})`, 'InvalidResponse', response.status);
    return parsed as T;
  }

  private async headersFor(method: string, url: URL, headers: Record<string, string>, body?: string): Promise<Record<string, string>> {
    if (!this.signs) return headers;
    this.signer ??= this.createSigner();
    return (await this.signer)({ method, url, headers, ...(body === undefined ? {} : { body }) });
  }

  private async createSigner(): Promise<RequestSigner> {
    const region = this.options.region ?? regionOf(this.baseUrl, this.options.env ?? process.env);
    if (!region) {
      throw new ApiError(`cannot tell the AWS region of ${this.baseUrl.host} to sign requests: pass --region or set AWS_REGION`, 'MissingRegion', 0);
    }
    return createSigner(region);
  }
}

function credentialsError(error: unknown): ApiError {
  return new ApiError(`could not sign the request with AWS credentials (${error instanceof Error ? error.message : String(error)}); set AWS_PROFILE or credentials`, 'CredentialsError', 0);
}
