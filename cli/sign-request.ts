// SigV4 for API Gateway's IAM authorization (service execute-api), with the caller's AWS credentials
// from the SDK's default chain (environment, profile, SSO, process, instance role...).

export interface UnsignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export type RequestSigner = (request: UnsignedRequest) => Promise<Record<string, string>>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The local stack needs no signature; a deployed API does. */
export function needsSignature(url: URL): boolean {
  return !LOOPBACK.has(url.hostname);
}

/** `abc123.execute-api.eu-west-1.amazonaws.com` names its region; custom domains need --region or AWS_REGION. */
export function regionOf(url: URL, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const match = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname);
  return match?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}

export async function createSigner(region: string): Promise<RequestSigner> {
  // loaded only when signing: local use starts without the credential chain
  const [{ SignatureV4 }, { Sha256 }, { defaultProvider }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-crypto/sha256-js'),
    import('@aws-sdk/credential-provider-node'),
  ]);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: defaultProvider(), sha256: Sha256 });
  return async ({ method, url, headers, body }) => {
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
    });
    // fetch sets Host itself, from the same URL
    const { host: _host, ...rest } = signed.headers;
    return rest;
  };
}
