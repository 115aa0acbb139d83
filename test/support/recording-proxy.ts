import { createServer, request as httpRequest } from 'node:http';
import { running, type RunningServer } from '../../local/emulators';

/** One AWS call as it crossed the proxy. */
export interface RecordedCall {
  /** e.g. `AmazonSQS.CancelMessageMoveTask`, `DynamoDB_20120810.UpdateItem` */
  readonly target: string;
  readonly body: string;
}

export interface InjectedFault {
  /** which calls: an X-Amz-Target, or a predicate */
  readonly match: string | ((call: RecordedCall) => boolean);
  /** how many matching calls to fail; @default 1 */
  times?: number;
  /** answer with this status and AWS JSON error body... */
  readonly status?: number;
  readonly errorType?: string;
  readonly message?: string;
  /** ...or cut the connection without an answer */
  readonly reset?: boolean;
  /** ...or forward the call, then answer the error anyway (the upstream acted, the caller hears it failed) */
  readonly afterForward?: boolean;
  /**
   * ...or no error: hold matching calls until this many have arrived, then forward them all (a
   * barrier that makes concurrent callers overlap for certain). Set `times` to the same number.
   */
  readonly holdUntil?: number;
}

export interface RecordingProxy extends RunningServer {
  readonly calls: RecordedCall[];
  count(target: string): number;
  inject(fault: InjectedFault): void;
  reset(): void;
}

/**
 * An HTTP proxy between the function and an emulator that records every AWS call (by its
 * X-Amz-Target) and can fail chosen calls, for the faults an emulator cannot produce on demand.
 */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  let faults: InjectedFault[] = [];
  const held = new Map<InjectedFault, Array<() => void>>();
  const upstreamUrl = new URL(upstream);

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const call: RecordedCall = { target: String(incoming.headers['x-amz-target'] ?? ''), body: body.toString('utf8') };
      calls.push(call);
      const fault = faults.find((candidate) =>
        typeof candidate.match === 'string' ? candidate.match === call.target : candidate.match(call),
      );
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) faults = faults.filter((candidate) => candidate !== fault);
      }
      const answerFault = () => {
        if (!fault) return false;
        if (fault.reset) {
          incoming.socket.destroy();
          return true;
        }
        outgoing.writeHead(fault.status ?? 400, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': `${fault.errorType ?? 'InternalError'};${(fault.status ?? 400) >= 500 ? 'Receiver' : 'Sender'}`,
        });
        outgoing.end(JSON.stringify({ __type: fault.errorType ?? 'InternalError', message: fault.message ?? 'injected fault' }));
        return true;
      };
      const forward = () => {
        const upstreamCall = httpRequest(
          { hostname: upstreamUrl.hostname, port: upstreamUrl.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
          (answer) => {
            if (fault?.afterForward) {
              answer.resume();
              answer.on('end', () => answerFault());
              return;
            }
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        upstreamCall.on('error', () => outgoing.destroy());
        upstreamCall.end(body);
      };
      if (fault?.holdUntil !== undefined) {
        const waiting = (held.get(fault) ?? []).concat(forward);
        held.set(fault, waiting);
        if (waiting.length >= fault.holdUntil) {
          held.delete(fault);
          waiting.forEach((release) => release());
        }
        return;
      }
      if (fault && !fault.afterForward && answerFault()) return;
      forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const handle = running(server);
  return {
    ...handle,
    calls,
    count: (target) => calls.filter((call) => call.target === target).length,
    inject: (fault) => faults.push(fault),
    reset: () => {
      calls.length = 0;
      faults = [];
    },
  };
}
