// GET / --> the dashboard: one HTML document with its style and script inline, pinned by hashes in the CSP.
// One page for both APIs: the account API serves it in account mode, the org API in org mode.
import { createHash } from 'node:crypto';

import type { HttpResponse } from '../adapters/http/http-request';
import style from './dashboard.css' with { type: 'text' };
import template from './dashboard.html' with { type: 'text' };
import script from './dashboard-browser.js' with { type: 'text' };
import chartScript from './dashboard-charts.js' with { type: 'text' };
import actionsScript from './dashboard-dlq-actions.js' with { type: 'text' };
import redriveScript from './dashboard-dlq-redrive.js' with { type: 'text' };
import dlqScript from './dashboard-dlqs.js' with { type: 'text' };
import orgScript from './dashboard-org.js' with { type: 'text' };

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// Built once per instance. Only the inline script and style whose hashes match may run; the page may
// talk to its own origin only; nothing may frame it or post forms elsewhere.
// one inline script: the main part, then the org mode's part, the charts, a DLQ view's redrive form, its decisions
// (per-message actions, archive/discard) and the DLQ part
// (which starts the first refresh), each using the main part's helpers
const SCRIPT = `${script}\n${orgScript}\n${chartScript}\n${redriveScript}\n${actionsScript}\n${dlqScript}`;
/** `account`: one account's API (GET /tasks, /queues, /dlqs...). `org`: the org API (GET /org/*, actions routed to each account). */
export type DashboardMode = 'account' | 'org';
// the mode is a meta tag outside the script and style: both modes run the same hashed code
const BODIES: Record<DashboardMode, string> = {
  account: bodyFor('account'),
  org: bodyFor('org'),
};
function bodyFor(mode: DashboardMode): string {
  return template.replace('/*MODE*/', mode).replace('/*STYLE*/', () => style).replace('/*SCRIPT*/', () => SCRIPT);
}
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(style)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderDashboard(requestId: string, mode: DashboardMode = 'account'): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-amzn-requestid': requestId,
    },
    body: BODIES[mode],
  };
}
