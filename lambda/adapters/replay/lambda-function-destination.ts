// replay (mover) --> LambdaFunctionDestination (MessageDestination) --> Lambda Invoke, InvocationType Event, one per message
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from '../../domain/mover/message-destination';
import { oneSignerPerClient } from '../one-signer-per-client';
import type { SdkClientSettings } from '../sdk-client-settings';
import { deliverOneByOne } from './one-by-one';
import { refusalOfSdkError } from './refusal-of-sdk-error';

type LambdaModule = typeof import('@aws-sdk/client-lambda');

/** Lambda's answer for a function, version or alias that does not exist. */
const GONE = new Set(['ResourceNotFoundException']);

/**
 * Functions, each delivery's target a function ARN (with the version or alias it names). Each
 * message is an asynchronous invocation (`InvocationType: 'Event'`), the payload its event, as Lambda
 * is invoked by EventBridge and by a retry of its own
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html). Accepted is Lambda's 202:
 * the event is queued; what the function then does with it is the function's (a failure goes to its
 * DLQ or on-failure destination again). The client is loaded on first use.
 */
export class LambdaFunctionDestination implements MessageDestination {
  private loaded?: Promise<{ module: LambdaModule; client: InstanceType<LambdaModule['LambdaClient']> }>;

  constructor(private readonly settings: SdkClientSettings) {}

  async deliver(_taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    const { module, client } = await this.load();
    return deliverOneByOne(deliveries, async (delivery): Promise<Omit<RefusedDelivery, 'id'> | undefined> => {
      try {
        const output = await client.send(new module.InvokeCommand({ FunctionName: delivery.target, InvocationType: 'Event', Payload: new TextEncoder().encode(delivery.message.body) }));
        return output.StatusCode === 202 ? undefined : { code: `Invoke answered ${output.StatusCode ?? 'no status'}`, permanent: false };
      } catch (error) {
        return refusalOfSdkError(error, GONE);
      }
    });
  }

  private load() {
    this.loaded ??= import('@aws-sdk/client-lambda').then((module) => ({
      module,
      client: this.settings.traced(oneSignerPerClient(new module.LambdaClient({ region: this.settings.region, ...this.settings.clientOptions }))),
    }));
    return this.loaded;
  }
}
