// SigV4 for API Gateway's IAM authorization (service execute-api), with credentials from the SDK's
// default chain (environment, profile, SSO, process, the function's role...). The CLI and the org
// function both sign with it.

export interface UnsignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** the API's region, when it is not the signer's own (the org view signs for every account's region) */
  readonly region?: string;
}

/** The headers to send: the request's own plus the signature's (Host left to fetch, which sets it from the same URL). */
export type RequestSigner = (request: UnsignedRequest) => Promise<Record<string, string>>;

export async function createExecuteApiSigner(region: string): Promise<RequestSigner> {
  // loaded only when signing: callers that never sign start without the credential chain
  const [{ SignatureV4 }, { Sha256 }, { defaultProvider }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-crypto/sha256-js'),
    import('@aws-sdk/credential-provider-node'),
  ]);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: defaultProvider(), sha256: Sha256 });
  return async ({ method, url, headers, body, region: apiRegion }) => {
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    }, apiRegion ? { signingRegion: apiRegion } : {});
    const { host: _host, ...rest } = signed.headers;
    return rest;
  };
}
