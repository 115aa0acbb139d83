import type { Delivery } from './message-destination';

/** Deliveries by target, each target's in the order given (so a FIFO group's order holds within each). */
export function byTarget(deliveries: readonly Delivery[]): Map<string, Delivery[]> {
  const targets = new Map<string, Delivery[]>();
  for (const delivery of deliveries) {
    const entries = targets.get(delivery.target);
    if (entries) entries.push(delivery);
    else targets.set(delivery.target, [delivery]);
  }
  return targets;
}
