import type { Browser, Page } from 'playwright-core';

import type { LocalStackOptions } from '../../local/local-stack';
import { launchChromium } from './browser';
import { startTestStack, type TestStack } from './local-stack-fixture';

export interface DashboardInChromium {
  /** the local stack, for the whole describe block */
  readonly stack: TestStack;
  /** a fresh page for each test */
  readonly page: Page;
}

/**
 * Registers the hooks of a browser test: one local stack and one Chromium for the block, a page per
 * test, and a test that fails when its page threw or broke the content security policy.
 */
export function useDashboardInChromium(options: LocalStackOptions = {}): DashboardInChromium {
  const chromium = useChromiumPages(() => startTestStack(options), (stack) => stack.stop());
  return {
    get stack() {
      return chromium.target;
    },
    get page() {
      return chromium.page;
    },
  };
}

/**
 * The hooks of any browser test: `start` (a local stack, a local organization) and one Chromium for
 * the describe block, a page per test, and a test that fails when its page threw or broke the CSP.
 */
export function useChromiumPages<T>(start: () => Promise<T>, stop: (target: T) => Promise<void>): { readonly target: T; readonly page: Page } {
  // Playwright's click waits for the element to hold still over animation frames; once in a CI run,
  // Chromium drew no frame for a page for 30 s (the click hung on "stable", nothing else did). One retry,
  // with the first failure printed: a real break fails both tries.
  jest.retryTimes(1, { logErrorsBeforeRetry: true });
  let target: T | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // one after the other, so a browser that fails to start cannot leave the stack running
    target = await start();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (target !== undefined) await stop(target);
  });
  beforeEach(async () => {
    page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    await page.bringToFront(); // the active page is the one Chromium draws frames for
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // a CSP violation shows up as a console error; the page must cause none
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text())) pageErrors.push(message.text());
    });
  });
  afterEach(async () => {
    await page?.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });
  return {
    get target() {
      return target!;
    },
    get page() {
      return page!;
    },
  };
}
