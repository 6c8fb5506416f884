/**
 * Unit tests sit next to the code (src/**\/*.spec.ts); end-to-end tests talk HTTP to the app
 * and SQL to a real PostgreSQL (test/**\/*.e2e-spec.ts). swc compiles both, with decorator
 * metadata, and also compiles the ESM-only @nestjs packages to CommonJS for Jest.
 */
const { availableParallelism } = require('node:os');

const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  // Test files mostly wait on PostgreSQL and HTTP: a few at once use 2 cores well. Each has a database of its own.
  maxWorkers: Math.min(4, availableParallelism() + 1),
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/web/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': swc('typescript'), '^.+\\.m?js$': swc('ecmascript') },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
};
