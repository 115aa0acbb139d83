// account API: API Gateway's caller + the org's header --> who the record names
/** The header that names the person who asked through the org view. */
export const ORG_CALLER_HEADER = 'x-redrive-org-caller';

const PRINTABLE = /^[\x20-\x7e]{1,256}$/;

/**
 * Who the task's record names. The org function's role (one of `orgCallers`, IAM's ArnLike with a
 * trailing `*`) may say on whose behalf it asks: `<person> via org`. From anyone else the header is
 * ignored, so no caller can pass itself off as someone else.
 */
export function callerThroughOrg(caller: string, headers: Readonly<Record<string, string>>, orgCallers: readonly string[]): string {
  const asked = headers[ORG_CALLER_HEADER];
  if (asked === undefined || !orgCallers.some((pattern) => (pattern.endsWith('*') ? caller.startsWith(pattern.slice(0, -1)) : caller === pattern))) return caller;
  return PRINTABLE.test(asked) ? `${asked} via org` : `${caller} (an unreadable caller via org)`;
}
