// Shared jest settings: TypeScript through SWC (decorators + metadata for Nest), path aliases.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const tsconfig = JSON.parse(readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
  if (alias.endsWith('/*')) moduleNameMapper[`^${alias.slice(0, -2)}/(.*)$`] = `<rootDir>/${target.replace('*', '$1')}`;
  else moduleNameMapper[`^${alias}$`] = `<rootDir>/${target}`;
}
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/'],
};
