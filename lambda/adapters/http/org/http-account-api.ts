// routeOrgAction --> HttpAccountApi --> POST <account API>/<Action>, SigV4-signed as the org function's role
import type { OrgAccountEndpoint } from '../../../domain/org/org-directory';
import type { AccountApi, AccountApiAnswer } from '../../../domain/org/org-ports';
import type { OrgAction } from '../../../domain/org/owning-account';
import type { Params } from '../../../domain/requests';
import { createExecuteApiSigner, type RequestSigner } from '../execute-api-signer';
import { ORG_CALLER_HEADER } from '../org-caller';

/** An account API that has not answered in this long is down, as far as the caller waiting on the org is concerned. */
const TIMEOUT_MS = 10_000;

/**
 * Calls each account's API with the SQS action in the path style. Signed always (the local stack's
 * gateway, like API Gateway's IAM authorization, knows the caller by the signature's access key).
 */
export class HttpAccountApi implements AccountApi {
  private signer?: Promise<RequestSigner>;

  constructor(private readonly region: string) {}

  async send(account: OrgAccountEndpoint, action: OrgAction, params: Params, onBehalfOf: string): Promise<AccountApiAnswer> {
    const url = new URL(`${account.apiUrl}/${action}`);
    const body = JSON.stringify(params);
    const headers = await (await this.sign())({ method: 'POST', url, headers: { 'content-type': 'application/json', [ORG_CALLER_HEADER]: onBehalfOf }, body });
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (answerHeaders[name] = value));
    return { status: response.status, headers: answerHeaders, body: await response.text() };
  }

  private sign(): Promise<RequestSigner> {
    this.signer ??= createExecuteApiSigner(this.region);
    return this.signer;
  }
}
