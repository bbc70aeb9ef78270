import 'reflect-metadata';

// The data directory holds the ledger and its keys: files it creates are the owner's alone.
process.umask(0o077);
import { runCli } from './ledger-cli';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
