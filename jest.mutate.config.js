/**
 * The Jest configuration StrykerJS runs (stryker.config.json): only the unit specs beside the code
 * it mutates (src/shared, src/settlement/domain), with the same SWC transform as `npx jest`. The
 * e2e and store tests boot services and are far too slow to run once per mutant; the money rules
 * are meant to be caught by the examples beside them.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/src'],
  testMatch: ['<rootDir>/src/shared/**/*.spec.ts', '<rootDir>/src/settlement/domain/**/*.spec.ts'],
  maxWorkers: 1,
};
