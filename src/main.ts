import 'reflect-metadata';

// The data directory holds the ledger and its keys: files it creates are the owner's alone.
process.umask(0o077);
import { createHttpApp } from './app';
import { LedgerLog } from './http/request-log';
import { ConfigError, loadConfig } from './config/app-config';
import { IDENTITY, Identity } from './access/identity/identity';
import { demoSignInSheet } from './demo/demo-personas';
import { loadDemo } from './demo/load-demo';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  const app = await createHttpApp(config);
  const logger = app.get(LedgerLog);
  if (process.argv.includes('--demo')) {
    const report = await loadDemo(app);
    logger.log(`Demo alliance loaded: ${report.recorded} commands recorded, ${report.duplicates + report.unchanged} already there`);
  }
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const reason = code === 'EADDRINUSE' ? 'is already in use by another process' : 'needs privileges this process does not have';
    process.stderr.write(`Alliance Ledger could not start: port ${config.port} on ${config.host} ${reason}; stop what holds it, or set PORT to a free port.\n`);
    await app.close().catch(() => undefined);
    process.exit(1);
  }
  const readModels = config.readModels.url.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
  logger.log(`Alliance Ledger on http://localhost:${config.port} (events: ${config.eventStore.kind}, read models: ${readModels}); API docs at /docs`);
  const identity = app.get<Identity>(IDENTITY);
  if (process.argv.includes('--demo') && identity.local) process.stdout.write(await demoSignInSheet(identity.local.issuer, config.auth.publicUrl));
}

main().catch((error) => {
  process.stderr.write(`Alliance Ledger could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
