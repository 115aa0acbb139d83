import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';

import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';
import { eventually } from '../support/local-stack-fixture';
import { CLI } from '../support/run-cli';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const modeOf = (html: string) => /<meta name="redrive-mode" content="([a-z]+)">/.exec(html)?.[1];

describe("the org API's dashboard route", () => {
  const t = useTestOrg();

  it('serves GET / as the dashboard in org mode, its CSP admitting exactly its inline script and style, the same as the account page', async () => {
    // Act
    const page = await fetch(`${t.org.org.url}/`);
    const html = await page.text();
    const accountPage = await fetch(`${t.org.accounts[LOCAL_ORG_ACCOUNTS[0]]!.apiUrl}/`);
    const accountHtml = await accountPage.text();

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}';`);
    expect(csp).toContain(`style-src 'sha256-${sha256(style)}';`);
    expect(csp).toMatch(/^default-src 'none';.*connect-src 'self';.*frame-ancestors 'none'$/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // one page, two modes: only the meta tag differs, so both run the same hashed code
    expect([modeOf(html), modeOf(accountHtml)]).toEqual(['org', 'account']);
    expect(accountPage.headers.get('content-security-policy')).toBe(csp);
    expect(html.replace('content="org"', 'content="account"')).toBe(accountHtml);
  });

  it('still answers an unknown route with the error naming its routes, the page among them', async () => {
    // Act
    const answer = await t.org$('/nowhere');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^No route for GET "\/nowhere" in the org API: it serves GET \/ \(the dashboard in org mode\), GET \/org\/accounts/);
  });

  it('serves the org page and its routed actions through `redrive --org URL dashboard`', async () => {
    // Prepare
    const proxy = spawn(process.execPath, [CLI, '--org', t.org.org.url, 'dashboard', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    let output = '';
    proxy.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proxy.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const printed = (await eventually(async () => /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)?.[1], (found) => found !== undefined))!;
      const url = `${new URL(printed).origin}/`;

      // Act
      const entry = await fetch(printed, { redirect: 'manual' });
      const cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(url, { headers: { cookie } });
      const accounts = await fetch(`${url}org/accounts`, { headers: { cookie } });
      const routed = await fetch(`${url}org/ListMessageMoveTasks`, { method: 'POST', body: '{}', headers: { 'x-redrive-client': 'dashboard', origin: url.slice(0, -1), cookie } });

      // Assess
      expect(page.status).toBe(200);
      expect(modeOf(await page.text())).toBe('org');
      expect(((await accounts.json()) as { accounts: { AccountId: string }[] }).accounts.map((account) => account.AccountId)).toEqual([...LOCAL_ORG_ACCOUNTS]);
      expect(routed.status).toBe(400);
      expect(((await routed.json()) as { message: string }).message).toMatch(/SourceArn is required/);
      expect(output).not.toMatch(/warning/);
    } finally {
      proxy.kill('SIGTERM');
    }
  });
});
