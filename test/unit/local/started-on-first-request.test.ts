import { createServer } from 'node:http';

import { running, type RunningServer } from '../../../local/emulators';
import { startedOnFirstRequest } from '../../../local/started-on-first-request';

/** an upstream that answers its path back */
async function echo(): Promise<RunningServer> {
  const server = createServer((request, response) => response.end(`upstream ${request.method} ${request.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return running(server);
}

describe('an emulator started on its first request', () => {
  it('starts nothing until asked, then forwards every request to the one upstream it started', async () => {
    // Prepare
    let starts = 0;
    const lazy = await startedOnFirstRequest(0, async () => {
      starts += 1;
      return echo();
    });
    try {
      expect(starts).toBe(0);
      // Act
      const first = await (await fetch(`${lazy.url}/bucket/key?list-type=2`)).text();
      const second = await (await fetch(`${lazy.url}/other`, { method: 'PUT', body: 'x' })).text();
      // Assess
      expect(first).toBe('upstream GET /bucket/key?list-type=2');
      expect(second).toBe('upstream PUT /other');
      expect(starts).toBe(1);
    } finally {
      await lazy.close();
    }
  });

  it('answers 503 while its upstream cannot start, and tries again on the next request', async () => {
    // Prepare: the first start fails
    let starts = 0;
    const lazy = await startedOnFirstRequest(0, async () => {
      starts += 1;
      if (starts === 1) throw new Error('port taken');
      return echo();
    });
    try {
      // Act
      const failed = await fetch(`${lazy.url}/a`);
      const retried = await fetch(`${lazy.url}/b`);
      // Assess
      expect(failed.status).toBe(503);
      expect(await failed.text()).toMatch(/port taken/);
      expect(await retried.text()).toBe('upstream GET /b');
      expect(starts).toBe(2);
    } finally {
      await lazy.close();
    }
  });
});
