import { type ChildProcess,spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';

import { PROXY_TOKEN_COOKIE } from '../../cli/dashboard-proxy';
import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';
import { CLI } from '../support/run-cli';

/** One raw HTTP/1.1 exchange, so the request target can be anything (fetch would normalize it). */
function rawRequest(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`${lines.join('\r\n')}\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('redrive dashboard: the local signing proxy', () => {
  let t: TestStack;
  let proxy: ChildProcess;
  let printed: URL;
  let port: number;
  let cookie: string;
  let elsewhere: Server;
  const reachedElsewhere: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    t = await startTestStack();
    elsewhere = createServer((request, response) => {
      reachedElsewhere.push(request.headers);
      response.end('{}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    // signing on, with distinctive credentials: they must never leave for another host
    proxy = spawn(process.execPath, [CLI, 'dashboard', '--port', '0', '--api', t.stack.apiUrl, '--sign', '--region', 'us-east-1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAPROXYTESTKEY0001', AWS_SECRET_ACCESS_KEY: 'proxy-test-secret', AWS_SESSION_TOKEN: 'proxy-test-session-token', AWS_PROFILE: '' },
    });
    let output = '';
    proxy.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    printed = new URL((await eventually(async () => /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)?.[1], (found) => found !== undefined))!);
    port = Number(printed.port);
    const entry = await fetch(printed, { redirect: 'manual' });
    cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    proxy?.kill('SIGTERM');
    await new Promise((resolve) => elsewhere.close(resolve));
    await t.stop();
  });

  it('prints a URL with a random token, and trades it for an HttpOnly SameSite=Strict cookie', async () => {
    // Act
    const entry = await fetch(printed, { redirect: 'manual' });

    // Assess
    expect(printed.searchParams.get('token')).toMatch(/^[\w-]{43}$/);
    expect(entry.status).toBe(303);
    expect(entry.headers.get('location')).toBe('/');
    expect(entry.headers.get('set-cookie')).toBe(`${PROXY_TOKEN_COOKIE}=${printed.searchParams.get('token')}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it.each([
    ['no token at all', {}],
    ['a wrong token', { cookie: `${PROXY_TOKEN_COOKIE}=${'x'.repeat(43)}` }],
  ])('refuses every request with %s, the page and the API alike', async (_case, headers: Record<string, string>) => {
    // Act
    const page = await fetch(`${printed.origin}/`, { headers });
    const tasks = await fetch(`${printed.origin}/tasks`, { headers });
    const wrongQuery = await fetch(`${printed.origin}/?token=nope`, { headers, redirect: 'manual' });

    // Assess
    for (const answer of [page, tasks, wrongQuery]) {
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { message: string }).message).toMatch(/needs its token/);
    }
    recordFigure(__filename, { area: 'security', scenario: `redrive dashboard proxy: page, API and a wrong ?token= with ${_case}`, cases: 3, held: '403 each; nothing forwarded or signed' });
  });

  it('serves the page and the API with its cookie', async () => {
    // Act
    const page = await fetch(`${printed.origin}/`, { headers: { cookie } });
    const health = await fetch(`${printed.origin}/health`, { headers: { cookie } });

    // Assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Redrives</h1>');
    expect(health.status).toBe(200);
  });

  it('refuses absolute-form and other-host targets and forwards nothing to another host', async () => {
    // Prepare
    const other = `127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const host = `Host: 127.0.0.1:${port}`;

    const send = (target: string) => rawRequest(port, [`GET ${target} HTTP/1.1`, host, `Cookie: ${cookie}`, 'Connection: close']);

    // Act
    const refusedByProxy = await Promise.all([`http://${other}/x`, `https://${other}/x`, `//${other}/x`, `/\\${other}/x`, '*'].map(send));
    // Node's own parser already refuses these bytes in a request target; either way nothing is forwarded
    const refusedByParser = await send(`\\\\${other}/x`);

    // Assess
    for (const answer of refusedByProxy) {
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('only a path starting with a single /');
    }
    expect(refusedByParser).toMatch(/^HTTP\/1\.1 400 /);
    expect(reachedElsewhere).toEqual([]);
    recordFigure(__filename, { area: 'security', scenario: 'redrive dashboard proxy (signing on): absolute-form, scheme-relative, backslash and * request targets naming a listener on another port', cases: refusedByProxy.length + 1, held: '400 each; the other listener received 0 requests' });
  });
});
