import { Tracer } from '@aws-lambda-powertools/tracer';

/** What an entry needs of X-Ray: its SDK clients' calls as subsegments, and the handler as one. */
export interface Tracing {
  captureClient(client: object): void;
  traced<R>(name: string, work: () => Promise<R>): Promise<R>;
}

/**
 * X-Ray through Powertools Tracer, the only importer of it (and of aws-xray-sdk-core, the cost of
 * its import): lambda/entry/with-tracing.ts loads this file as a split chunk, only where tracing is
 * on. Service name from POWERTOOLS_SERVICE_NAME; Powertools turns itself off with
 * POWERTOOLS_TRACE_ENABLED=false and outside Lambda. Responses are not recorded as metadata (they
 * may hold message bodies), errors are.
 */
export function createTracing(): Tracing {
  const tracer = new Tracer();
  return {
    captureClient: (client) => {
      tracer.captureAWSv3Client(client);
    },
    async traced(name, work) {
      const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
      if (!segment) return work();
      const subsegment = segment.addNewSubsegment(`## ${name}`);
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      try {
        return await work();
      } catch (error) {
        tracer.addErrorAsMetadata(error as Error);
        throw error;
      } finally {
        subsegment.close();
        tracer.setSegment(segment);
      }
    },
  };
}
