/**
 * One account's DLQ as the org view holds it, as of the account's inventory run `asOf`. A DLQ an
 * inventory no longer lists is kept as `removed` (listed nowhere), so an older event cannot bring it back.
 */
export interface OrgDlq {
  readonly accountId: string;
  readonly region: string;
  readonly queueArn: string;
  readonly queueName: string;
  /** ISO-8601: the inventory run these figures are from */
  readonly asOf: string;
  readonly approximateNumberOfMessages: number;
  /** CloudWatch's age of its oldest message, where the account's inventory knew it */
  readonly oldestMessageAgeSeconds?: number;
  readonly removed: boolean;
  /** the entry as the account's GET /dlqs answers it (without ActiveTask, which is the tasks' part) */
  readonly view: Readonly<Record<string, unknown>>;
}
