import { byTarget } from '../../domain/mover/deliveries-by-target';
import type { Delivery, DeliveryReport, RefusedDelivery } from '../../domain/mover/message-destination';

/**
 * The port's rules for a destination that takes one entry per call: each target's entries in the
 * order given; once one is refused, the rest of that target is refused with it, not attempted.
 * Targets do not wait for each other.
 */
export async function deliverOneByOne(
  deliveries: readonly Delivery[],
  send: (delivery: Delivery) => Promise<Omit<RefusedDelivery, 'id'> | undefined>,
): Promise<DeliveryReport> {
  const accepted: string[] = [];
  const refused: RefusedDelivery[] = [];
  await Promise.all(
    [...byTarget(deliveries).values()].map(async (entries) => {
      let refusal: Omit<RefusedDelivery, 'id'> | undefined;
      for (const delivery of entries) {
        refusal ??= await send(delivery);
        if (refusal) refused.push({ id: delivery.id, ...refusal });
        else accepted.push(delivery.id);
      }
    }),
  );
  return { accepted, refused };
}
