/**
 * Queue ARN patterns, as MANAGED_QUEUES, ALLOWED_DESTINATIONS and DISCOVERY_QUEUES hold them: an exact
 * queue ARN, or an ARN ending in `*` (a prefix, e.g. `arn:aws:sqs:eu-west-1:111122223333:orders-*`).
 * The one place that reads them: matching an ARN, and which ListQueues calls find the queues.
 */
export function matchesQueuePattern(arn: string, pattern: string): boolean {
  return pattern.endsWith('*') ? arn.startsWith(pattern.slice(0, -1)) : arn === pattern;
}

/** A pattern as a ListQueues call: a name prefix, and the ARN partition the pattern names. */
export interface PatternListing {
  readonly partition: string;
  /** undefined: list every queue of the account and region */
  readonly namePrefix?: string;
}

/**
 * Which ListQueues call covers a pattern: `arn:aws:sqs:r:a:orders-*` lists prefix `orders-`, an exact
 * ARN lists its name as prefix; patterns for another account or region list nothing (ListQueues sees
 * only the caller's own). A listed queue may still not match: check it with `matchesQueuePattern`.
 */
export function patternListing(pattern: string, accountId: string, region: string): PatternListing | undefined {
  const parts = pattern.split(':');
  if (parts.length < 6) return { partition: parts[1] || 'aws' };
  const [, partition, , patternRegion, patternAccount] = parts as [string, string, string, string, string];
  const name = parts.slice(5).join(':');
  if (!patternRegion.endsWith('*') && patternRegion !== region) return undefined;
  if (!patternAccount.endsWith('*') && patternAccount !== accountId) return undefined;
  const namePrefix = name.endsWith('*') ? name.slice(0, -1) : name;
  return { partition: partition || 'aws', ...(namePrefix && !namePrefix.includes('*') ? { namePrefix } : {}) };
}

/** The fewest ListQueues calls that cover all the patterns: one per distinct prefix, or one for the whole account. */
export function listingsCovering(patterns: readonly string[], accountId: string, region: string): PatternListing[] {
  const listings = patterns.flatMap((pattern) => patternListing(pattern, accountId, region) ?? []);
  const wholeAccount = listings.find((listing) => listing.namePrefix === undefined);
  if (wholeAccount) return [wholeAccount];
  const distinct = new Map<string, PatternListing>();
  for (const listing of listings) distinct.set(`${listing.partition}|${listing.namePrefix ?? ''}`, listing);
  return [...distinct.values()];
}

/** The ARN of a queue a listing found: ListQueues names queues of the caller's region. */
export function listedQueueArn(listing: PatternListing, region: string, queue: { readonly accountId: string; readonly queueName: string }): string {
  return `arn:${listing.partition}:sqs:${region}:${queue.accountId}:${queue.queueName}`;
}
