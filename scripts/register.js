// Lets `node -r ./scripts/register.js file.ts` run TypeScript with the project's .swcrc.
// Used by tests that spawn real processes and by `npm run bench`; the service itself runs from dist/.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const options = JSON.parse(readFileSync(join(__dirname, '..', '.swcrc'), 'utf8'));
delete options.$schema;

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
