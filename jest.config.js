/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // lowdb and swagger-parser's $ref resolver are published as ES modules only; compile them to
  // CommonJS like our own code.
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { module: 'commonjs', allowJs: true }, diagnostics: false }] },
  transformIgnorePatterns: ['/node_modules/(?!(lowdb|@apidevtools/json-schema-ref-parser)/)'],
  testTimeout: 30000,
  // A PostgreSQL server for the postgres store's tests: the machine's, or a throwaway one for the run.
  globalSetup: '<rootDir>/test/postgres/global-setup.ts',
  globalTeardown: '<rootDir>/test/postgres/global-teardown.ts',
};
