// replay (mover) --> EventBusDestination (MessageDestination) --> EventBridge PutEvents, 10 entries a call, per bus in order
import { byTarget } from '../../domain/mover/deliveries-by-target';
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from '../../domain/mover/message-destination';
import { eventEntryOf, isEventEntry } from '../../domain/replay/event-entry';
import { oneSignerPerClient } from '../one-signer-per-client';
import type { SdkClientSettings } from '../sdk-client-settings';
import { refusalOfSdkError } from './refusal-of-sdk-error';

type EventBridgeModule = typeof import('@aws-sdk/client-eventbridge');

/** PutEvents takes at most 10 entries per call (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). */
const ENTRIES_PER_CALL = 10;
/** EventBridge's answer for a bus that does not exist. */
const GONE = new Set(['ResourceNotFoundException']);
/** Entry codes EventBridge may take on a later call. */
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalException', 'InternalFailure']);

/**
 * Event buses, each delivery's target a bus ARN: the event in the DLQ is put on that bus as a new
 * entry rebuilt from it (Source, DetailType, Detail, Resources, Time; `event-entry.ts`), as EventBridge
 * sends an event to a bus target. A call that fails refuses its entries and the rest of that bus's;
 * an entry PutEvents refused is refused with its ErrorCode (the later ones of that call were accepted).
 */
export class EventBusDestination implements MessageDestination {
  private loaded?: Promise<{ module: EventBridgeModule; client: InstanceType<EventBridgeModule['EventBridgeClient']> }>;

  constructor(private readonly settings: SdkClientSettings) {}

  async deliver(_taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    const { module, client } = await this.load();
    const accepted: string[] = [];
    const refused: RefusedDelivery[] = [];
    await Promise.all(
      [...byTarget(deliveries).values()].map(async (entries) => {
        let refusal: Omit<RefusedDelivery, 'id'> | undefined;
        for (let at = 0; at < entries.length; at += ENTRIES_PER_CALL) {
          const batch = entries.slice(at, at + ENTRIES_PER_CALL);
          if (refusal) {
            refused.push(...batch.map((delivery) => ({ id: delivery.id, ...refusal! })));
            continue;
          }
          const sendable: Delivery[] = [];
          const requestEntries = [];
          for (const delivery of batch) {
            const entry = eventEntryOf(delivery.message.body);
            // the route checked the body already: a body that is no event here is refused for good
            if (!isEventEntry(entry)) {
              refused.push({ id: delivery.id, code: 'InvalidEvent', permanent: true });
              continue;
            }
            sendable.push(delivery);
            requestEntries.push({
              EventBusName: delivery.target,
              Source: entry.source,
              DetailType: entry.detailType,
              Detail: entry.detail,
              Resources: [...entry.resources],
              ...(entry.time === undefined ? {} : { Time: new Date(entry.time) }),
            });
          }
          if (sendable.length === 0) continue;
          try {
            const output = await client.send(new module.PutEventsCommand({ Entries: requestEntries }));
            sendable.forEach((delivery, index) => {
              const code = output.Entries?.[index]?.ErrorCode;
              if (code) refused.push({ id: delivery.id, code, permanent: !RETRYABLE_ENTRY_CODES.has(code) });
              else accepted.push(delivery.id);
            });
            const firstRefused = refused.find((entry) => sendable.some((delivery) => delivery.id === entry.id));
            if (firstRefused) refusal = { code: firstRefused.code, permanent: firstRefused.permanent };
          } catch (error) {
            refusal = refusalOfSdkError(error, GONE);
            refused.push(...sendable.map((delivery) => ({ id: delivery.id, ...refusal! })));
          }
        }
      }),
    );
    return { accepted, refused };
  }

  private load() {
    this.loaded ??= import('@aws-sdk/client-eventbridge').then((module) => ({
      module,
      client: this.settings.traced(oneSignerPerClient(new module.EventBridgeClient({ region: this.settings.region, ...this.settings.clientOptions }))),
    }));
    return this.loaded;
  }
}
