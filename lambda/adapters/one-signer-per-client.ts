import type { AuthScheme, RequestSigner } from '@smithy/types';

/** A client whose config resolves a SigV4 signer per request (every AWS SDK v3 client with SigV4). */
interface SigningClient {
  readonly config: { signer: (authScheme?: AuthScheme) => Promise<RequestSigner> };
}

/**
 * Makes the client build its SigV4 signer once per auth scheme instead of once per request. Without
 * a `signer` option the SDK's default resolver (resolveAwsSdkSigV4Config in @aws-sdk/core) spreads the
 * whole client config into a new SignatureV4 for every request; the signer holds nothing a request
 * changes: credentials are its provider (refreshed as they expire), the date, region and service are
 * passed to each sign call. One signer per scheme (name, service, region) keeps an endpoint that names
 * another region or service signed for it. Answers the same client.
 */
export function oneSignerPerClient<C extends SigningClient>(client: C): C {
  const signerFor = client.config.signer;
  const signers = new Map<string, Promise<RequestSigner>>();
  client.config.signer = (authScheme) => {
    const key = authScheme === undefined ? '' : `${authScheme.name}|${authScheme.signingName ?? ''}|${authScheme.signingRegion ?? ''}`;
    let signer = signers.get(key);
    if (!signer) {
      signer = signerFor(authScheme);
      // a signer that failed to build (credentials or region not resolvable yet) is asked for again next time
      signer.catch(() => signers.delete(key));
      signers.set(key, signer);
    }
    return signer;
  };
  return client;
}
