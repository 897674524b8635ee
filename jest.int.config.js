// Integration tests: `*.int-spec.ts`, real Kafka/Postgres/Redis (see libs/testing).
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{libs,services,test}/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
