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
    });
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
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});
