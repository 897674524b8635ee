// End-to-end tests: `test/**/*.e2e-spec.ts`, the whole platform (embedded, or services as processes
// over real Kafka/Postgres/Redis).
module.exports = {
  ...require('./jest.preset'),
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
  testTimeout: 300000,
  maxWorkers: 1,
};
