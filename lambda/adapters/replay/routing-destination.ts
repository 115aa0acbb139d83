// replay (mover) --> RoutingDestination --> one destination per kind of target (queue, function, topic, bus)
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from '../../domain/mover/message-destination';
import { parseTargetArn, type TargetKind } from '../../domain/replay/target-arn';

/**
 * The mover's destination: each delivery goes to the destination of its target's kind, all kinds at
 * once (each keeps its own targets' order and the port's rules). Queues go to SqsQueueDestination
 * unchanged, so a selective task's deliveries are as before. A target of no known kind is refused
 * for good.
 */
export class RoutingDestination implements MessageDestination {
  constructor(private readonly destinations: Readonly<Record<TargetKind, MessageDestination>>) {}

  async deliver(taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    const byKind = new Map<TargetKind, Delivery[]>();
    const refused: RefusedDelivery[] = [];
    for (const delivery of deliveries) {
      const kind = parseTargetArn(delivery.target)?.kind;
      if (!kind) {
        refused.push({ id: delivery.id, code: 'UnsupportedTarget', permanent: true });
        continue;
      }
      byKind.set(kind, [...(byKind.get(kind) ?? []), delivery]);
    }
    const reports = await Promise.all([...byKind].map(([kind, entries]) => this.destinations[kind].deliver(taskId, entries)));
    return {
      accepted: reports.flatMap((report) => report.accepted),
      refused: [...refused, ...reports.flatMap((report) => report.refused)],
    };
  }
}
