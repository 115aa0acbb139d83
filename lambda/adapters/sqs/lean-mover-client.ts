import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Takes out of the mover's SQS client the per-request middleware that does nothing the mover needs,
 * measured one by one (`bench/sdk-call-cpu.ts`, docs/performance.md): each layer is an async frame per
 * call, three calls per 10 moved messages. Kept: serde, endpoint, retry, signing, timeouts and the SQS
 * MD5 checks of every body (the integrity of what is moved).
 * - `getUserAgentMiddleware` rebuilds the same User-Agent for every request (provider, feature flags,
 *   escaping); it is built once here and set as a constant, so CloudTrail's `userAgent` still names the SDK.
 * - `recursionDetectionMiddleware` copies Lambda's `_X_AMZN_TRACE_ID` into each request for X-Ray and
 *   Lambda's recursive-loop detection; the mover is invoked by the controller, never by an SQS event
 *   source, so it is no link of such a loop; where tracing is on, the Tracer's own middleware sets the header.
 * - `loggerMiddleware` logs to the client's logger, which is none here.
 * Answers the same client.
 */
export function leanMoverClient(client: SQSClient): SQSClient {
  const stack = client.middlewareStack;
  stack.remove('recursionDetectionMiddleware');
  stack.remove('loggerMiddleware');
  const provider = client.config.defaultUserAgentProvider;
  let userAgent: Promise<{ sdk: string; full: string }> | undefined;
  stack.remove('getUserAgentMiddleware');
  // where the SDK's own sits: the build step, low priority (after the host and content-length headers)
  stack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) {
        const { sdk, full } = await (userAgent ??= provider().then((pairs) => {
          // the SDK's own spelling: prefix/name#version, the api name in lower case
          const sections = pairs.map(([name, version]) => {
            const spelled = name.startsWith('api/') ? name.toLowerCase() : name;
            return version ? `${spelled}${spelled.includes('/') ? '#' : '/'}${version}` : spelled;
          });
          return { sdk: sections.filter((section) => section.startsWith('aws-sdk-')).join(' '), full: [...sections, 'app/redrive-controller-mover'].join(' ') };
        }));
        request.headers['x-amz-user-agent'] = sdk;
        request.headers['user-agent'] = full;
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'constantUserAgentMiddleware', tags: ['SET_USER_AGENT', 'USER_AGENT'], override: true },
  );
  return client;
}
