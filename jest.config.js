/**
 * jose 6, openid-client 6 (with oauth4webapi) and oidc-provider 9 ship only ES modules. Node 20.19+
 * loads them with require() at run time, but Jest 29's module loader does not, so Jest compiles
 * those four packages to CommonJS with the same SWC transform as our own code.
 */
const ESM_ONLY = ['jose', 'openid-client', 'oauth4webapi', 'oidc-provider'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  maxWorkers: 2,
  testTimeout: 30000,
};
