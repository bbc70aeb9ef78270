import { COMMAND_DEFINITIONS } from '../commanding/command-catalogue';
import { COMMAND_NAMES, COMMAND_VERBS } from './command-verbs';

describe('the CLI’s command verbs', () => {
  it('name every command of the catalogue, in its order', () => {
    expect([...COMMAND_NAMES]).toEqual(COMMAND_DEFINITIONS.map((definition) => definition.name));
  });

  it('are the names in kebab case', () => {
    expect(COMMAND_VERBS.get('record-defined-cost')).toBe('RecordDefinedCost');
    expect(COMMAND_VERBS.get('record-kpi-measurement')).toBe('RecordKpiMeasurement');
    expect(COMMAND_VERBS.size).toBe(COMMAND_NAMES.length);
  });
});
