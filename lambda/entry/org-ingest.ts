// org bus rule (every account's forwarded events) --> ingestOrgEvent --> the read-model table --> one log line per event
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';

import { DynamoDbOrgStore } from '../adapters/dynamodb/dynamodb-org-store';
import { eventToApply } from '../adapters/eventbridge/parked-event';
import { oneSignerPerClient } from '../adapters/one-signer-per-client';
import { readOrgSettings } from '../config/org-environment';
import { ingestOrgEvent,type IngestSummary } from '../domain/operations/ingest-org-event';
import type { OrgEventEnvelope } from '../domain/org/org-change';
import { clockMs, elapsedMs } from './elapsed-ms';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const settings = readOrgSettings(process.env);
const clientOptions = { region: settings.region, maxAttempts: 3, retryMode: 'standard', cacheMiddleware: true, requestHandler: { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true } } as const;
const logger = new Logger();
// ingest writes the rows, so it sets their expiry (DynamoDB TTL) in step with the accounts' records
const store = new DynamoDbOrgStore(traced(oneSignerPerClient(new DynamoDBClient(clientOptions))), settings.tableName, { retentionDays: settings.retentionDays });

/**
 * An event the org view cannot read is dropped (a retry would drop it again); a table failure is
 * thrown, so Lambda retries it and then parks it in the ingest dead-letter queue (alarmed). A retry
 * is harmless: writes apply only when newer.
 */
async function handle(input: unknown, context: Context): Promise<IngestSummary> {
  const started = clockMs();
  logger.addContext(context);
  const event = eventToApply(input) as (OrgEventEnvelope & { readonly id?: unknown }) | null | undefined;
  const line = { eventId: event?.id, account: event?.account, detailType: event?.['detail-type'] };
  try {
    const summary = await ingestOrgEvent(store, event ?? {});
    if (summary.kind === 'ignored') logger.warn('event ignored', { ...line, ...summary, durationMs: elapsedMs(started) });
    else logger.info('event', { ...line, ...summary, durationMs: elapsedMs(started) });
    return summary;
  } catch (error) {
    logger.error('event failed; thrown so it is retried', { ...line, error: error as Error });
    throw error;
  }
}

export const handler = withTracing('org-ingest', handle);

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
