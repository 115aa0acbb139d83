// GET / --> the dashboard: one HTML document with its style and script inline, pinned by hashes in the CSP
import { createHash } from 'node:crypto';

import type { HttpResponse } from '../adapters/http/http-request';
import style from './dashboard.css' with { type: 'text' };
import template from './dashboard.html' with { type: 'text' };
import script from './dashboard-browser.js' with { type: 'text' };

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// Built once per instance. Only the inline script and style whose hashes match may run; the page may
// talk to its own origin only; nothing may frame it or post forms elsewhere.
const BODY = template.replace('/*STYLE*/', () => style).replace('/*SCRIPT*/', () => script);
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${hash(script)}`,
  `style-src ${hash(style)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderDashboard(requestId: string): HttpResponse {
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
    body: BODY,
  };
}
