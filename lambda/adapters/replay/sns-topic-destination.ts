// replay (mover) --> SnsTopicDestination (MessageDestination) --> SNS Publish, one per message
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from '../../domain/mover/message-destination';
import { oneSignerPerClient } from '../one-signer-per-client';
import type { SdkClientSettings } from '../sdk-client-settings';
import { deliverOneByOne } from './one-by-one';
import { refusalOfSdkError } from './refusal-of-sdk-error';

type SnsModule = typeof import('@aws-sdk/client-sns');

/** SNS's answer for a topic that does not exist. */
const GONE = new Set(['NotFoundException', 'NotFound']);

/**
 * Standard topics, each delivery's target a topic ARN: the payload is the message, as EventBridge
 * publishes an event to a topic target (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 * FIFO topics are never routed here (the dead letter carries no MessageGroupId). There is no local SNS
 * emulator: this adapter is tested with aws-sdk-client-mock only (docs/replay.md).
 */
export class SnsTopicDestination implements MessageDestination {
  private loaded?: Promise<{ module: SnsModule; client: InstanceType<SnsModule['SNSClient']> }>;

  constructor(private readonly settings: SdkClientSettings) {}

  async deliver(_taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    const { module, client } = await this.load();
    return deliverOneByOne(deliveries, async (delivery): Promise<Omit<RefusedDelivery, 'id'> | undefined> => {
      try {
        await client.send(new module.PublishCommand({ TopicArn: delivery.target, Message: delivery.message.body }));
        return undefined;
      } catch (error) {
        return refusalOfSdkError(error, GONE);
      }
    });
  }

  private load() {
    this.loaded ??= import('@aws-sdk/client-sns').then((module) => ({
      module,
      client: this.settings.traced(oneSignerPerClient(new module.SNSClient({ region: this.settings.region, ...this.settings.clientOptions }))),
    }));
    return this.loaded;
  }
}
