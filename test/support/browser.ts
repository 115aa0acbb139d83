import { existsSync } from 'node:fs';

import { type Browser, chromium } from 'playwright-core';

// Headless, and quiet: this machine's closed network refuses Chromium's background connections.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set; on Linux the build that the
 * `@sparticuz/chromium` dev dependency ships inside its npm package (so `npm install` is all a machine
 * needs, offline too); elsewhere a system Chrome or Chromium.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch)) {
    const { default: packaged } = await import('@sparticuz/chromium');
    return packaged.executablePath();
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (!system) throw new Error('no Chromium found: install Google Chrome or Chromium, or set CHROMIUM_PATH to one');
  return system;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: FLAGS });
}
