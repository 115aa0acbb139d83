import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

import type { MoverInvoker, WireEdit } from '../../domain/ports';

export interface LambdaMoverInvokerOptions {
  /** the mover function's name or ARN */
  readonly functionName: string;
  readonly region: string;
  /** @default - AWS_ENDPOINT_URL_LAMBDA, else Lambda's regional endpoint */
  readonly endpoint?: string;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/** What the mover function receives: the task to work on. */
export interface MoverInvocation {
  readonly taskId: string;
  /** a one-message task run while its caller waits (MoverInvoker.decide); an edit carries its new body */
  readonly decision?: { readonly edit?: WireEdit };
}

/** A synchronous decision waits this long: under API Gateway's 29 s, above the mover's 20 s pass. */
const DECIDE_TIMEOUT_MS = 27_000;

/** One retry, for throttling or a Lambda fault: an async invoke only queues the event. */
const ATTEMPTS = 2;

/**
 * MoverInvoker on Lambda's Invoke API with `X-Amz-Invocation-Type: Event` (queued by Lambda,
 * answered 202 at once), signed with SigV4. Written on the signer and credential chain the other
 * clients already bundle rather than @aws-sdk/client-lambda, which would add about 140 KB to the
 * API's bundle and a quarter to its cold start for this one call.
 */
export class LambdaMoverInvoker implements MoverInvoker {
  /** built on the first invocation (a selective start's): the API's other requests never load its hash */
  private signer?: Promise<SignatureV4>;
  private readonly endpoint: URL;

  constructor(private readonly options: LambdaMoverInvokerOptions) {
    this.endpoint = new URL(options.endpoint ?? process.env.AWS_ENDPOINT_URL_LAMBDA ?? `https://lambda.${options.region}.amazonaws.com`);
  }

  async invoke(taskId: string): Promise<void> {
    await this.call({ taskId }, 'Event', this.options.timeoutMs ?? 5000);
  }

  /** RequestResponse: Lambda answers when the slice has ended; a function error comes back as X-Amz-Function-Error. */
  async decide(taskId: string, edit?: WireEdit): Promise<void> {
    const { text, functionError } = await this.call({ taskId, decision: edit ? { edit } : {} }, 'RequestResponse', DECIDE_TIMEOUT_MS);
    if (functionError || /"errorMessage"/.test(text.slice(0, 200))) throw new Error(`the mover failed: ${text.slice(0, 300)}`);
  }

  private signerOnce(): Promise<SignatureV4> {
    if (!this.signer) {
      const signer = import('@aws-crypto/sha256-js').then(({ Sha256 }) => new SignatureV4({ service: 'lambda', region: this.options.region, credentials: defaultProvider(), sha256: Sha256 }));
      // a failed load is tried again by the next call
      signer.catch(() => {
        if (this.signer === signer) this.signer = undefined;
      });
      this.signer = signer;
    }
    return this.signer;
  }

  private async call(payload: MoverInvocation, invocationType: 'Event' | 'RequestResponse', timeoutMs: number): Promise<{ text: string; functionError: boolean }> {
    const body = JSON.stringify(payload);
    const path = `/2015-03-31/functions/${encodeURIComponent(this.options.functionName)}/invocations`;
    let failure = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const signed = await (await this.signerOnce()).sign({
        method: 'POST',
        protocol: this.endpoint.protocol,
        hostname: this.endpoint.hostname,
        ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
        path,
        query: {},
        headers: { host: this.endpoint.host, 'content-type': 'application/json', 'x-amz-invocation-type': invocationType },
        body,
      });
      const { host: _host, ...headers } = signed.headers;
      const response = await fetch(new URL(path, this.endpoint), { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      if (response.status === (invocationType === 'Event' ? 202 : 200)) return { text, functionError: response.headers.has('x-amz-function-error') };
      // a synchronous run is not repeated: its first attempt may have done its work
      if (invocationType === 'RequestResponse') throw new Error(`Lambda Invoke answered ${response.status}: ${text.slice(0, 300)}`);
      failure = `Lambda Invoke answered ${response.status}: ${text.slice(0, 300)}`;
      if (response.status !== 429 && response.status < 500) break;
    }
    throw new Error(failure);
  }
}
