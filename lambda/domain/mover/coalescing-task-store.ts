// the mover's task table: its count writes linger a few milliseconds, so one write carries several loops' batches
import type { SourceClaim, TaskPage, TaskQuery, TaskStore } from '../ports';
import type { TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';

export interface CoalescingOptions {
  /** how long a count write waits before it goes; @default 5 */
  readonly lingerMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const LINGER_MS = 5;

/**
 * A TaskStore whose count writes (a RUNNING record rewritten by its lease owner, status and owner
 * unchanged) wait `lingerMs` before they are sent. SliceProgress writes one at a time and puts every
 * batch that finishes while a write is under way into the next write, so the other loops' batches
 * gather during the wait: with 8 loops on the local stack, about half the writes for the same counts.
 * Nothing else waits: the lease's take (a new owner), the hand-on (the lease ended), a cancel's
 * claim, the final status and the outbox drain go at once. Every write is still one conditional write, its result and its error the
 * caller's, so counts and the lease keep their meaning; a write that lingers renews the lease 5 ms
 * later, far inside any lease.
 */
export class CoalescingTaskStore implements TaskStore {
  private readonly lingerMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly store: TaskStore,
    options: CoalescingOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? LINGER_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async replace(expected: TaskRecord, next: TaskRecord): Promise<boolean> {
    if (isCountWrite(expected, next)) await this.sleep(this.lingerMs);
    return this.store.replace(expected, next);
  }

  create(record: TaskRecord): Promise<boolean> {
    return this.store.create(record);
  }

  get(taskId: string): Promise<TaskRecord | undefined> {
    return this.store.get(taskId);
  }

  listActive(): Promise<TaskRecord[]> {
    return this.store.listActive();
  }

  listStaleOutboxes(before: string, limit: number): Promise<TaskRecord[]> {
    return this.store.listStaleOutboxes(before, limit);
  }

  query(query: TaskQuery): Promise<TaskPage> {
    return this.store.query(query);
  }

  findActiveTask(sourceArn: string): Promise<TaskRecord | undefined> {
    return this.store.findActiveTask(sourceArn);
  }

  ping(): Promise<void> {
    return this.store.ping();
  }

  readSourceClaim(sourceArn: string): Promise<SourceClaim | undefined> {
    return this.store.readSourceClaim(sourceArn);
  }

  claimSource(sourceArn: string, claim: SourceClaim, previousHolder?: string): Promise<boolean> {
    return this.store.claimSource(sourceArn, claim, previousHolder);
  }

  releaseSourceClaim(sourceArn: string, holder: string): Promise<void> {
    return this.store.releaseSourceClaim(sourceArn, holder);
  }
}

/**
 * A running task's progress as its lease owner writes it (record-progress.ts): counts, held batches,
 * ids in doubt, and the lease renewed (never shortened). A hand-on ends the lease instead; a take names a new owner.
 */
function isCountWrite(expected: TaskRecord, next: TaskRecord): boolean {
  return (
    expected.status === TaskStatus.RUNNING &&
    next.status === TaskStatus.RUNNING &&
    next.leaseOwner !== undefined &&
    next.leaseOwner === expected.leaseOwner &&
    next.leaseExpiresAt !== undefined &&
    expected.leaseExpiresAt !== undefined &&
    next.leaseExpiresAt >= expected.leaseExpiresAt
  );
}
