/**
 * Three projects: `unit` runs in-process; `integration` drives the local stack over HTTP; `browser`
 * drives the dashboard in Chromium (test/support/browser.ts finds it) against the local stack.
 */
const transform = { '^.+\\.ts$': '@swc/jest' };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/cdk/**/*.test.ts'], transform, testEnvironment: 'node' },
    { displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], transform, testEnvironment: 'node', slowTestThreshold: 20 },
    { displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'], transform, testEnvironment: 'node', slowTestThreshold: 30 },
  ],
  testTimeout: 60000,
};
