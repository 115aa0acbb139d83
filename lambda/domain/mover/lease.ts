// the task's lease: one conditional write names the mover working on a selective task
import type { TaskRecord } from '../task-record';
import { isFinal } from '../task-status';
import { nextRecord } from '../transitions';
import { isMoverKind } from './mover-kind';
import { MAX_WRITE_ATTEMPTS, type MoverDependencies, type MoverOptions, type SliceOutcome, UNRECORDED_HELD_BATCHES } from './mover-types';

/**
 * The lease: one conditional write naming this invocation. A lease still live under another owner
 * means another mover works on the task. A batch of held handles stored by a mover that crashed
 * before its record write is found here (the next batch number already exists) and counted in, all as
 * skipped: a batch keeps handles, not verdicts, so its unroutable and arrived-later messages (counted
 * nowhere when the write succeeds) are counted as skipped too (docs/selective-redrive.md, known limits).
 */
export async function takeLease(deps: MoverDependencies, taskId: string, options: MoverOptions): Promise<TaskRecord | SliceOutcome> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const record = await deps.store.get(taskId);
    if (!record) return 'not-active';
    if (!isMoverKind(record.kind)) return 'not-selective';
    if (isFinal(record.status)) return 'not-active';
    const now = deps.clock.now();
    if (record.leaseOwner && record.leaseOwner !== options.owner && record.leaseExpiresAt && record.leaseExpiresAt > now.toISOString()) {
      return 'leased-elsewhere';
    }
    let heldBatches = record.heldBatches ?? 0;
    let skipped = record.numberOfMessagesSkipped ?? 0;
    // concurrent loops may each have stored a batch whose record write was lost; read at once, not one after another.
    // A task no mover ever leased has none (held batches are stored under a lease): its first slice starts at once
    const orphans = record.leaseOwner === undefined ? [] : await Promise.all(Array.from({ length: UNRECORDED_HELD_BATCHES }, (_, at) => deps.holds.get(taskId, heldBatches + at)));
    const start = heldBatches;
    orphans.forEach((orphan, at) => {
      if (!orphan) return;
      skipped += orphan.length;
      heldBatches = start + at + 1;
    });
    const leased = nextRecord(record, { leaseOwner: options.owner, leaseExpiresAt: leaseUntil(now, options), heldBatches, numberOfMessagesSkipped: skipped }, now.toISOString());
    if (await deps.store.replace(record, leased)) return leased;
  }
  return 'leased-elsewhere';
}

/** A batch's visibility, but never so much of the lease that a fresh lease would end the slice at once (a lease configured too short). */
export function leaseMarginSeconds(options: MoverOptions): number {
  return Math.min(options.visibilitySeconds, options.leaseSeconds / 2);
}

export function leaseEndsWithin(record: TaskRecord, now: Date, seconds: number): boolean {
  return record.leaseExpiresAt !== undefined && Date.parse(record.leaseExpiresAt) - now.getTime() < seconds * 1000;
}

export function leaseUntil(now: Date, options: MoverOptions): string {
  return new Date(now.getTime() + options.leaseSeconds * 1000).toISOString();
}
