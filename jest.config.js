// Unit tests: `*.spec.ts` beside the code, no I/O.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services,deploy,tools}/**/*.spec.ts'],
};
