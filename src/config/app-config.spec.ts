import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  it('defaults to the embedded store and SQLite read models under ./data', () => {
    const config = loadConfig({}, '/srv/ledger');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/ledger/data',
      eventStore: { kind: 'embedded', path: '/srv/ledger/data/events.db', synchronous: 'full' },
      readModels: { url: 'sqlite:/srv/ledger/data/read-models.db', schema: 'public' },
      logLevel: 'info',
      http: { maxBodyBytes: 1048576, maxImportLineBytes: 1048576, maxImportBytes: 1073741824, headersTimeoutMs: 10000, requestTimeoutMs: 60000, keepAliveTimeoutMs: 5000 },
    });
  });

  it('reads the request limits', () => {
    const config = loadConfig({ LEDGER_MAX_BODY_BYTES: '2048', LEDGER_MAX_IMPORT_LINE_BYTES: '4096', LEDGER_MAX_IMPORT_BYTES: '8192', LEDGER_HEADERS_TIMEOUT_MS: '500', LEDGER_REQUEST_TIMEOUT_MS: '1000', LEDGER_KEEP_ALIVE_TIMEOUT_MS: '200' });
    expect(config.http).toEqual({ maxBodyBytes: 2048, maxImportLineBytes: 4096, maxImportBytes: 8192, headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 200 });
  });

  it('reads EventStoreDB and PostgreSQL settings', () => {
    const config = loadConfig({
      PORT: '8080',
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      READ_MODEL_URL: 'postgres://postgres@127.0.0.1:5432/test',
      LEDGER_DATA_DIR: '/var/lib/ledger',
    });
    expect(config.eventStore).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' });
    expect(config.readModels.url).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENT_STORE: 'mongodb' }, 'EVENT_STORE'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://x' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ READ_MODEL_URL: 'mysql://x' }, 'READ_MODEL_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LEDGER_SQLITE_SYNCHRONOUS: 'off' }, 'LEDGER_SQLITE_SYNCHRONOUS'],
    [{ LEDGER_MAX_BODY_BYTES: '1mb' }, 'LEDGER_MAX_BODY_BYTES'],
    [{ LEDGER_MAX_BODY_BYTES: '10' }, 'LEDGER_MAX_BODY_BYTES'],
    [{ LEDGER_MAX_IMPORT_LINE_BYTES: '-1' }, 'LEDGER_MAX_IMPORT_LINE_BYTES'],
    [{ LEDGER_MAX_IMPORT_LINE_BYTES: '4096', LEDGER_MAX_IMPORT_BYTES: '2048' }, 'LEDGER_MAX_IMPORT_LINE_BYTES'],
    [{ LEDGER_HEADERS_TIMEOUT_MS: '20000', LEDGER_REQUEST_TIMEOUT_MS: '10000' }, 'LEDGER_HEADERS_TIMEOUT_MS'],
    [{ LEDGER_KEEP_ALIVE_TIMEOUT_MS: '1.5' }, 'LEDGER_KEEP_ALIVE_TIMEOUT_MS'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});
