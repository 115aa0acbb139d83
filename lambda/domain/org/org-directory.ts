/**
 * An account the org stack knows, from its configuration: where its own API answers. Locally also
 * its SQS emulator.
 */
export interface OrgAccountEndpoint {
  readonly accountId: string;
  readonly region: string;
  readonly apiUrl: string;
  readonly sqsEndpoint?: string;
}

/** `ORG_ACCOUNTS`: a JSON array of `{"AccountId", "Region", "ApiUrl", "SqsEndpoint"?}`. */
export function parseOrgDirectory(text: string | undefined): OrgAccountEndpoint[] {
  if (!text?.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('ORG_ACCOUNTS must be a JSON array of {"AccountId", "Region", "ApiUrl"}');
  }
  if (!Array.isArray(parsed)) throw new Error('ORG_ACCOUNTS must be a JSON array of {"AccountId", "Region", "ApiUrl"}');
  return parsed.map((entry: unknown, at) => {
    const { AccountId, Region, ApiUrl, SqsEndpoint } = (entry ?? {}) as Record<string, unknown>;
    if (typeof AccountId !== 'string' || !/^\d{12}$/.test(AccountId)) throw new Error(`ORG_ACCOUNTS[${at}].AccountId must be a 12-digit account id`);
    if (typeof Region !== 'string' || Region === '') throw new Error(`ORG_ACCOUNTS[${at}].Region is required`);
    if (typeof ApiUrl !== 'string' || !/^https?:\/\//.test(ApiUrl)) throw new Error(`ORG_ACCOUNTS[${at}].ApiUrl must be the account API's URL`);
    return { accountId: AccountId, region: Region, apiUrl: ApiUrl.replace(/\/$/, ''), ...(typeof SqsEndpoint === 'string' ? { sqsEndpoint: SqsEndpoint } : {}) };
  });
}

/** Every account the org stack is configured with. */
export type OrgDirectory = readonly OrgAccountEndpoint[];
