/**
 * Three projects: `unit` runs in-process; `integration` drives the local stack over HTTP; `browser`
 * drives the dashboard in Chromium (test/support/browser.ts finds it) against the local stack.
 */
// the SDK's notice that Node.js 20 support ends says nothing about the tests (Lambda runs Node.js 22)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const transform = { '^.+\\.ts$': '@swc/jest' };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/cdk/**/*.test.ts'], transform, testEnvironment: 'node' },
    { displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], transform, testEnvironment: 'node', slowTestThreshold: 20 },
    { displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'], transform, testEnvironment: 'node', slowTestThreshold: 30 },
  ],
  testTimeout: 60000,
};
