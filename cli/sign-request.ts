// When and for which region the CLI signs its requests to a deployed API (the signing itself is shared with the org function).

export { createExecuteApiSigner as createSigner, type RequestSigner, type UnsignedRequest } from '../lambda/adapters/http/execute-api-signer';

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
