// startTask / startSelectiveTask --> takeSourceClaim --> claim item (task table) --> holder's record (selective) or SQS's newest task (native)
import type { ControllerDependencies, SourceClaim, SourceClaimKind } from '../ports';
import { isActive } from '../task-status';

/** A claim with no task to show for it after this long was left by a start that crashed (or was refused) in between. */
export const UNRECORDED_CLAIM_MS = 60_000;
const ATTEMPTS = 3;

/**
 * One active task per DLQ across both kinds: every start, native or selective, takes the DLQ's claim
 * in one conditional write before anything starts. The claim is taken when nobody holds it, or when
 * its holder's task has ended, or never appeared a minute after the claim: there is no release step
 * to forget. A selective holder is its task record; a native holder is SQS's own newest task on the
 * DLQ (its task id is not known before SQS answers).
 */
export async function takeSourceClaim(deps: ControllerDependencies, sourceArn: string, holder: string, kind: SourceClaimKind): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const now = deps.clock.now();
    const claim = await deps.store.readSourceClaim(sourceArn);
    if (claim && (await isHeld(deps, sourceArn, claim, now))) return false;
    if (await deps.store.claimSource(sourceArn, { holder, claimedAt: now.toISOString(), kind }, claim?.holder)) return true;
  }
  return false;
}

/** Gives the claim back at once when SQS refused the start (no task began); a no-op if another start took it over. */
export async function releaseSourceClaim(deps: ControllerDependencies, sourceArn: string, holder: string): Promise<void> {
  try {
    await deps.store.releaseSourceClaim(sourceArn, holder);
  } catch (error) {
    deps.log.warn('could not give the DLQ\'s claim back; it lapses within a minute', { sourceArn, error: String(error) });
  }
}

async function isHeld(deps: ControllerDependencies, sourceArn: string, claim: SourceClaim, now: Date): Promise<boolean> {
  if (claim.released) return false;
  const young = now.getTime() - Date.parse(claim.claimedAt) < UNRECORDED_CLAIM_MS;
  if (claim.kind === 'native') {
    const [newest] = await deps.sqs.list(sourceArn, 1);
    if (newest && isActive(newest.status)) return true;
    // a task SQS started since the claim has ended; with none, the holder is still between its claim and SQS's answer
    if (newest && newest.startedTimestamp >= Date.parse(claim.claimedAt)) return false;
    return young;
  }
  const held = await deps.store.get(claim.holder);
  return held ? isActive(held.status) : young;
}
