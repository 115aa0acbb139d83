import type { ActivityPublisher } from '../dlq/dlq-ports';
import type { RecoveryPolicy } from './recovery-policy';
import type { RecoveryRecord } from './recovery-state';

/** The DLQs' recovery records (one item each in the task table). */
export interface RecoveryStore {
  /** undefined until the DLQ's record is first written */
  get(dlqArn: string): Promise<RecoveryRecord | undefined>;
  /** several at once (GET /dlqs); absent ones are left out */
  getMany(dlqArns: readonly string[]): Promise<RecoveryRecord[]>;
  /**
   * Writes `next` on condition that the stored version is still `expectedVersion` (0: not stored
   * yet); false when another write came first (re-read and decide again). Bumps the version.
   */
  put(next: RecoveryRecord, expectedVersion: number): Promise<boolean>;
}

/** How many messages a DLQ holds now (visible plus in flight); undefined when the queue is gone. Throws SqsError. */
export interface DlqDepthReader {
  messages(dlqArn: string): Promise<number | undefined>;
}

/** What recovery needs beyond the controller's dependencies. */
export interface RecoveryDependencies {
  readonly policies: ReadonlyMap<string, RecoveryPolicy>;
  readonly recoveries: RecoveryStore;
  readonly depth: DlqDepthReader;
  readonly activity: ActivityPublisher;
  /** a fresh run id */
  newRunId(): string;
  /** seconds a claimed start is left to its claimant before another run takes it over */
  readonly inFlightGraceSeconds: number;
}

export const RECOVERY_EVENT_DETAIL_TYPE = 'Redrive Recovery State Changed';
