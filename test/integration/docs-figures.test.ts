import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

import { bundlePath } from '../../lib/lambda-bundling';

const root = resolve(__dirname, '../..');
const KB = 1024;
/** figures are rounded in prose; a build that moved further than this makes the docs stale */
const TOLERANCE = 0.15;

describe("docs/dashboard.md's size figures", () => {
  const text = readFileSync(resolve(root, 'docs/dashboard.md'), 'utf8');
  const figure = (pattern: RegExp) => Number(pattern.exec(text)?.[1]) * KB;

  it("gives the API bundle's size within 15% of the build's", () => {
    // Prepare
    const documented = figure(/The API bundle \(`dist\/lambda\/api\/index\.mjs`\) is about (\d+) KB/);

    // Act
    const built = statSync(resolve(root, bundlePath('api'))).size;

    // Assess
    expect(documented).toBeGreaterThan(0);
    expect(Math.abs(built - documented) / built).toBeLessThan(TOLERANCE);
  });

  it("gives the page's size within 15% of its three files", () => {
    // Prepare
    const documented = figure(/no framework, about (\d+) KB/);

    // Act
    const page = ['dashboard.html', 'dashboard.css', 'dashboard-browser.js'].reduce((sum, file) => sum + statSync(resolve(root, 'lambda/dashboard', file)).size, 0);

    // Assess
    expect(documented).toBeGreaterThan(0);
    expect(Math.abs(page - documented) / page).toBeLessThan(TOLERANCE);
  });
});
