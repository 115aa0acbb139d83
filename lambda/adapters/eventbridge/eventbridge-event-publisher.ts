import type { ActivityBatchPublisher, ActivityEvent, ActivityPublisher, InventoryChangePublisher } from '../../domain/dlq/dlq-ports';
import { INVENTORY_CHANGED_DETAIL_TYPE, type InventoryChange } from '../../domain/dlq/inventory-event';
import { inParallel } from '../../domain/in-parallel';
import type { EventPublisher } from '../../domain/ports';
import { EVENT_SOURCE, type TaskEvent } from '../../domain/task-event';
import { dlqView } from '../http/dlq-view';
import { inventoryTotalsView } from '../http/inventory-totals-view';
import { oneSignerPerClient } from '../one-signer-per-client';
import type { SdkClientSettings } from '../sdk-client-settings';
import { taskRecordView } from '../task-view';

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES_PER_CALL = 10;
/** publishActivities' calls in flight at once */
const ACTIVITY_CALL_CONCURRENCY = 4;

type EventBridgeModule = typeof import('@aws-sdk/client-eventbridge');

export interface EventBridgePublisherOptions extends SdkClientSettings {
  readonly eventBusName: string;
}

/**
 * EventPublisher on EventBridge. The client is loaded on first use (`await import`): the API's
 * cold start does not pay for it (see docs/events.md). The detail is the task's record as GET /tasks
 * shows it, plus `eventId`, the stable id consumers deduplicate on.
 */
export class EventBridgeEventPublisher implements EventPublisher, ActivityPublisher, ActivityBatchPublisher, InventoryChangePublisher {
  private loaded?: Promise<{ module: EventBridgeModule; client: InstanceType<EventBridgeModule['EventBridgeClient']> }>;

  constructor(private readonly options: EventBridgePublisherOptions) {}

  async publish(events: readonly TaskEvent[]): Promise<{ sent: string[] }> {
    const { module, client } = await this.load();
    const sent: string[] = [];
    const failures: string[] = [];
    for (let at = 0; at < events.length; at += MAX_ENTRIES_PER_CALL) {
      const batch = events.slice(at, at + MAX_ENTRIES_PER_CALL);
      let output;
      try {
        output = await client.send(
          new module.PutEventsCommand({
            Entries: batch.map((event) => ({
              EventBusName: this.options.eventBusName,
              Source: EVENT_SOURCE,
              DetailType: event.detailType,
              Time: new Date(event.time),
              Resources: [event.record.sourceArn],
              Detail: JSON.stringify({ eventId: event.id, ...taskRecordView(event.record) }),
            })),
          }),
        );
      } catch (error) {
        // earlier batches were accepted: answering them keeps them from being sent again after the grace
        if (sent.length === 0) throw error;
        failures.push(`${batch.length} events from ${batch[0]!.id}: ${String(error)}`);
        break;
      }
      (output.Entries ?? []).forEach((entry, index) => {
        const event = batch[index];
        if (!event) return;
        if (entry.ErrorCode) failures.push(`${event.id}: ${entry.ErrorCode}`);
        else sent.push(event.id);
      });
    }
    if (sent.length === 0 && failures.length > 0) throw new Error(`PutEvents refused every event: ${failures.join('; ')}`);
    return { sent };
  }

  /** One event that belongs to no task's outbox (a peek): sent once; the caller decides what a failure means. */
  async publishActivity(event: ActivityEvent): Promise<void> {
    const { module, client } = await this.load();
    const output = await client.send(new module.PutEventsCommand({ Entries: [this.activityEntry(event)] }));
    const refused = output.Entries?.[0]?.ErrorCode;
    if (refused) throw new Error(`PutEvents refused the ${event.detailType} event: ${refused}`);
  }

  /** Many such events, 10 a PutEvents call (each sent once: a batch that fails is not repeated here). */
  async publishActivities(events: readonly ActivityEvent[]): Promise<{ sent: number; error?: string }> {
    const batches: ActivityEvent[][] = [];
    for (let at = 0; at < events.length; at += MAX_ENTRIES_PER_CALL) batches.push(events.slice(at, at + MAX_ENTRIES_PER_CALL));
    let sent = 0;
    let error: string | undefined;
    await inParallel(batches, ACTIVITY_CALL_CONCURRENCY, async (batch) => {
      try {
        const { module, client } = await this.load();
        const output = await client.send(new module.PutEventsCommand({ Entries: batch.map((event) => this.activityEntry(event)) }));
        // one entry answered per entry sent, in order: those without an ErrorCode were accepted
        const entries = output.Entries ?? [];
        const refused = entries.find((entry) => entry.ErrorCode)?.ErrorCode;
        sent += entries.filter((entry) => !entry.ErrorCode).length;
        if (refused) error ??= `PutEvents refused ${batch[0]!.detailType} events: ${refused}`;
      } catch (thrown) {
        error ??= thrown instanceof Error ? thrown.message : String(thrown);
      }
    });
    return { sent, ...(error === undefined ? {} : { error }) };
  }

  /** The inventory's changes, its DLQs in GET /dlqs' names (docs/events.md). */
  async publishInventoryChange(change: InventoryChange): Promise<void> {
    await this.publishActivity({
      detailType: INVENTORY_CHANGED_DETAIL_TYPE,
      resources: [],
      detail: { asOf: change.asOf, complete: change.complete, dlqs: change.dlqs.map((dlq) => dlqView(dlq)), removedQueueArns: change.removedQueueArns, totals: inventoryTotalsView(change.totals) },
    });
  }

  private activityEntry(event: ActivityEvent) {
    return { EventBusName: this.options.eventBusName, Source: EVENT_SOURCE, DetailType: event.detailType, Resources: [...event.resources], Detail: JSON.stringify(event.detail) };
  }

  private load() {
    this.loaded ??= import('@aws-sdk/client-eventbridge').then((module) => ({
      module,
      client: this.options.traced(oneSignerPerClient(new module.EventBridgeClient({ region: this.options.region, ...this.options.clientOptions }))),
    }));
    return this.loaded;
  }
}
