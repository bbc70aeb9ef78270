import { localReturnPath } from './return-path';

describe('localReturnPath', () => {
  it.each([
    ['/alliances/smart-motorways', '/alliances/smart-motorways'],
    ['/alliances/a/periods/2026-Q3/statements/DEL1?explain=true', '/alliances/a/periods/2026-Q3/statements/DEL1?explain=true'],
    ['/a/../b', '/b'],
  ])('keeps the path on the ledger %s', (requested, expected) => {
    expect(localReturnPath(requested)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'alliances',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
  ])('turns %p, which could leave the ledger, into /', (requested) => {
    expect(localReturnPath(requested)).toBe('/');
  });
});
