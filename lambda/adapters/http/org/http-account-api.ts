// routeOrgAction --> HttpAccountApi --> POST <account API>/<Action>, SigV4-signed as the org function's role
import { AccountApiUnreachable } from '../../../domain/org/account-api-unreachable';
import type { OrgAccountEndpoint } from '../../../domain/org/org-directory';
import type { AccountApi, AccountApiAnswer } from '../../../domain/org/org-ports';
import type { OrgAction } from '../../../domain/org/owning-account';
import type { Params } from '../../../domain/requests';
import { createExecuteApiSigner, type RequestSigner } from '../execute-api-signer';
import { ORG_CALLER_HEADER } from '../org-caller';

/** An account API that has not answered in this long is down, as far as the caller waiting on the org is concerned. */
const TIMEOUT_MS = 10_000;

/**
 * A DryRun's answer may take the account's whole dry-run budget (DRY_RUN_BUDGET_MS, 12 s) and the
 * release of what it sampled: it gets longer, still well under the org API function's own 25 s
 * timeout (lib/controller-function.ts), so the org answers "did not answer" rather than a bare 504.
 */
const DRY_RUN_TIMEOUT_MS = 20_000;

/** Failures to connect at all: the request never reached the account. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'];

/**
 * Calls each account's API with the SQS action in the path style. Signed always (the local stack's
 * gateway, like API Gateway's IAM authorization, knows the caller by the signature's access key).
 */
export class HttpAccountApi implements AccountApi {
  private signer?: Promise<RequestSigner>;

  constructor(
    private readonly region: string,
    private readonly timeoutMs = TIMEOUT_MS,
    private readonly dryRunTimeoutMs = DRY_RUN_TIMEOUT_MS,
  ) {}

  async send(account: OrgAccountEndpoint, action: OrgAction, params: Params, onBehalfOf: string): Promise<AccountApiAnswer> {
    const url = new URL(`${account.apiUrl}/${action}`);
    const timeoutMs = isDryRun(params) ? this.dryRunTimeoutMs : this.timeoutMs;
    const body = JSON.stringify(params);
    let headers: Record<string, string>;
    try {
      // signed for the account's own region: API Gateway refuses a signature scoped to another
      headers = await (await this.sign())({ method: 'POST', url, headers: { 'content-type': 'application/json', [ORG_CALLER_HEADER]: onBehalfOf }, body, region: account.region });
    } catch (error) {
      throw new AccountApiUnreachable(`could not be signed for (${messageOf(error)})`, false, { cause: error });
    }
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (answerHeaders[name] = value));
      return { status: response.status, headers: answerHeaders, body: await response.text() };
    } catch (error) {
      // fetch's abort is a DOMException, not always an instance of this realm's Error
      if ((error as { name?: unknown } | null)?.name === 'TimeoutError') throw new AccountApiUnreachable(`did not answer within ${timeoutMs / 1000} s`, true, { cause: error });
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      const notSent = typeof code === 'string' && NOT_SENT_CODES.includes(code);
      throw new AccountApiUnreachable(`could not be reached (${typeof code === 'string' ? code : messageOf(error)})`, !notSent, { cause: error });
    }
  }

  private sign(): Promise<RequestSigner> {
    this.signer ??= createExecuteApiSigner(this.region);
    return this.signer;
  }
}

/** DryRun as the account's API reads it: the JSON true, or the text "true" (as a Query-style caller sends it). */
function isDryRun(params: Params): boolean {
  return params.DryRun === true || (typeof params.DryRun === 'string' && params.DryRun.toLowerCase() === 'true');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
