// `redrive dashboard`: check the credentials first, then serve the page through the signing proxy.
import { type ApiClient,ApiError } from './api-client';
import { GLOBAL_OPTIONS } from './commands';
import { startDashboardProxy } from './dashboard-proxy';
import { integerOption, type ParsedArgs,rejectUnknown } from './parse-args';

/** @param org the API is the org API (`--org`): it has no /health, its accounts tell whether it answers */
export async function dashboardCommand(api: ApiClient, args: ParsedArgs, org = false): Promise<number> {
  rejectUnknown(args, [...GLOBAL_OPTIONS, 'port']);
  const port = integerOption(args, 'port', 0, 65535) ?? 8080;
  // without credentials every page request would fail: say so now, in the terminal
  if (api.signs) await api.checkCredentials();
  const probe = org ? 'org/accounts' : 'health';
  const health = await api.get(probe).then(
    () => undefined,
    (error: unknown) => (error instanceof ApiError ? `${error.message}${error.status ? ` (${error.code}, HTTP ${error.status})` : ''}` : String(error)),
  );
  if (health) process.stderr.write(`redrive: warning: GET /${probe} failed: ${health}; the page will show the API's answers\n`);
  const proxy = await startDashboardProxy(api, port, (line) => process.stderr.write(`redrive dashboard: ${line}\n`));
  process.stdout.write(`Dashboard for ${api.baseUrl.href} at ${proxy.url}${api.signs ? ' (requests signed with your AWS credentials)' : ''}\nCtrl+C stops.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await proxy.close();
  return 0;
}
