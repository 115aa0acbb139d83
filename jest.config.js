/** Two projects: `unit` runs in-process; `integration` drives the local stack over HTTP. */
const transform = { '^.+\\.ts$': '@swc/jest' };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/cdk/**/*.test.ts'], transform, testEnvironment: 'node' },
    { displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], transform, testEnvironment: 'node', slowTestThreshold: 20 },
  ],
  testTimeout: 60000,
};
