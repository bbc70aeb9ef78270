#!/usr/bin/env node
'use strict';
/**
 * The `ledger` command: runs the compiled CLI in dist/. When a source file is newer than the
 * build (a checkout with src/ and the Nest CLI), it rebuilds first, quietly: build output is shown
 * only if the build fails. An installed package runs dist/ as it is.
 */
const { statSync, readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'cli', 'main.js');

function newestSource(directory) {
  let newest = 0;
  for (const item of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!existsSync(entry)) return true;
  const source = join(root, 'src');
  return existsSync(source) && newestSource(source) > statSync(entry).mtimeMs;
}

const nest = join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
if (stale() && existsSync(nest)) {
  const build = spawnSync(process.execPath, [nest, 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout}${build.stderr}\nledger: the build failed; fix the errors above and run it again\n`);
    process.exit(1);
  }
}
require(entry);
