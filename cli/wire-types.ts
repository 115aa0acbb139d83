// The API's answers as docs/api.md describes them: the CLI's view, independent of lambda/.

export interface MoveTask {
  readonly TaskHandle?: string;
  readonly Status: string;
  readonly SourceArn: string;
  readonly DestinationArn?: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
  readonly ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove?: number;
  readonly FailureReason?: string;
  readonly StartedTimestamp?: number;
}

export interface TaskEntry extends MoveTask {
  readonly taskId: string;
  readonly createdAt: string;
  readonly updatedAt?: string;
  readonly startedBy?: string;
  readonly startReason?: string;
  readonly cancelRequestedAt?: string;
  readonly cancelledBy?: string;
  readonly cancelReason?: string;
  readonly completedAt?: string;
  readonly origin?: string;
  /** `native`, `selective`, `replay` (API.md section 11), ...; absent from older records */
  readonly Kind?: string;
  /** the mover's tasks: messages kept because they had nowhere to go */
  readonly NumberOfMessagesUnroutable?: number;
  /** the org view's entries name their account */
  readonly AccountId?: string;
}

/** A replay's dry run: where one sampled message would go, or why it stays (API.md section 11). */
export interface SampledRoute {
  readonly MessageId: string;
  readonly Format: string;
  readonly Kind?: string;
  readonly TargetArn?: string;
  readonly Unroutable?: string;
}

export interface TaskPage {
  readonly tasks: TaskEntry[];
  readonly nextToken?: string;
}

export interface ManagedQueue {
  readonly QueueArn: string;
  readonly QueueName: string;
  readonly ApproximateNumberOfMessages: number;
  readonly ApproximateNumberOfMessagesNotVisible: number;
  /** `dlq` or `source`, when the listing can tell (see docs/api.md) */
  readonly RedriveRole?: 'dlq' | 'source';
  /** the DLQ a source queue's redrive policy names */
  readonly DeadLetterTargetArn?: string;
}

export const FINAL_STATUSES: readonly string[] = ['CANCELLED', 'COMPLETED', 'FAILED'];

/** The API contract documents the handle: base64 of `{"taskId", "sourceArn"}`. */
export function taskIdOfHandle(handle: string): string | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { taskId?: unknown };
    return typeof decoded.taskId === 'string' ? decoded.taskId : undefined;
  } catch {
    return undefined;
  }
}

export function queueNameOf(arn: string): string {
  return arn.split(':').pop() ?? arn;
}
