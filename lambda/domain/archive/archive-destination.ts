// slice loop --> ArchiveDestination (MessageDestination) --> ArchiveStore.put: one object per delivered batch
import { randomUUID } from 'node:crypto';

import type { Delivery, DeliveryReport, MessageDestination } from '../mover/message-destination';
import type { Clock } from '../ports';
import { archiveLineOf, archivePrefix, formatArchiveLines } from './archive-line';
import { type ArchiveStore,ArchiveStoreError } from './archive-store';

/** The task an archive destination writes for: its DLQ and the day it started (its objects' prefix). */
export interface ArchiveTask {
  readonly taskId: string;
  readonly queueArn: string;
  readonly startedAt: Date;
}

/**
 * The archive as one more destination of the mover (STYLE.md, "One mover, many destinations"): each
 * call writes one object holding every delivery, one JSON line each, under the task's prefix. The
 * object stored, every entry is accepted; a failed write refuses them all, for good or for now as the
 * store said. A write repeated after a crash is a second object with the same lines (each carries its
 * MessageId), never a lost one.
 */
export class ArchiveDestination implements MessageDestination {
  constructor(
    private readonly store: ArchiveStore,
    private readonly task: ArchiveTask,
    private readonly clock: Clock,
  ) {}

  async deliver(taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    if (deliveries.length === 0) return { accepted: [], refused: [] };
    const now = this.clock.now();
    const lines = deliveries.map((delivery) => archiveLineOf(delivery.message, this.task.queueArn, taskId, now));
    try {
      await this.store.put(archiveObjectKey(this.task, now), formatArchiveLines(lines));
    } catch (error) {
      const { code, permanent } = error instanceof ArchiveStoreError ? error : { code: 'InternalError', permanent: false };
      return { accepted: [], refused: deliveries.map((delivery) => ({ id: delivery.id, code, permanent })) };
    }
    return { accepted: deliveries.map((delivery) => delivery.id), refused: [] };
  }
}

/** `<prefix><epoch ms, 13 digits>-<random>.jsonl.gz`: unique, and in the order written when listed. */
export function archiveObjectKey(task: ArchiveTask, writtenAt: Date): string {
  return `${archivePrefix(task.queueArn, task.taskId, task.startedAt)}${String(writtenAt.getTime()).padStart(13, '0')}-${randomUUID().slice(0, 8)}.jsonl.gz`;
}
