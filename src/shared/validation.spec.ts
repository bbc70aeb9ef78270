import { FormAllianceRequest } from '../alliance/commands/form-alliance';
import { RecordKpiMeasurementRequest } from '../performance/commands/record-kpi-measurement';
import { RecordHoursWorkedRequest } from '../safety/commands/record-hours-worked';
import { RecordDefinedCostRequest } from '../schemes/commands/record-defined-cost';
import { ImplementCompensationEventRequest } from '../schemes/commands/implement-compensation-event';
import { workedExampleTerms } from '../../test/support/alliance-fixtures';
import { DomainError } from './domain-error';
import { validateDto } from './validation';

const cost = { allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1', costId: 'C-1', amount: '1234.56' };

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

function reasons(dto: Parameters<typeof validateDto>[0], data: unknown): Record<string, string> {
  const error = refusal(() => validateDto(dto, data));
  expect(error.kind).toBe('invalid');
  return Object.fromEntries(error.errors.map((item) => [item.field, item.reason]));
}

describe('request validation', () => {
  it('accepts a well-formed request', () => {
    expect(validateDto(RecordDefinedCostRequest, cost)).toMatchObject(cost);
  });

  it.each([
    ['three decimal places', '12.345', /more than 2 decimal places/],
    ['a JSON number', 1234.56, /not a JSON number/],
    ['an exponent', '1e6', /without an exponent/],
    ['a negative cost', '-5.00', /greater than 0/],
    ['zero', '0.00', /greater than 0/],
    ['a leading plus', '+5', /decimal string in pounds/],
    ['leading zeros', '007.50', /decimal string in pounds/],
    ['thousands separators', '1,000.00', /decimal string in pounds/],
  ])('refuses an amount written as %s, naming the field', (_, amount, reason) => {
    expect(reasons(RecordDefinedCostRequest, { ...cost, amount })).toEqual({ amount: expect.stringMatching(reason) });
  });

  it('refuses unknown and missing fields', () => {
    const { amount: _dropped, ...withoutAmount } = cost;
    expect(reasons(RecordDefinedCostRequest, { ...withoutAmount, amont: '5.00' })).toEqual({
      amont: 'is not a field of this command',
      amount: 'is required',
    });
  });

  it('reports a missing id as required rather than describing its pattern', () => {
    const { costId: _dropped, ...withoutCostId } = cost;
    expect(reasons(RecordDefinedCostRequest, { ...withoutCostId, schemeId: null })).toEqual({ costId: 'is required', schemeId: 'is required' });
  });

  it.each([
    ['NUL', 'a\u0000b', /control character U\+0000/],
    ['a carriage return', 'a\rb', /control character U\+000D/],
    ['a C1 control', 'a\u0085b', /control character U\+0085/],
    ['DEL', 'a\u007fb', /control character U\+007F/],
    ['a lone surrogate', 'a\ud800b', /unpaired surrogate/],
    ['a right-to-left override', 'invoice \u202e', /bidirectional control U\+202E/],
    ['a left-to-right isolate', '\u2066x', /bidirectional control U\+2066/],
  ])('refuses text holding %s', (_, description, reason) => {
    expect(reasons(RecordDefinedCostRequest, { ...cost, description })).toEqual({ description: expect.stringMatching(reason) });
  });

  it('allows tabs and line breaks in text', () => {
    expect(validateDto(RecordDefinedCostRequest, { ...cost, description: 'line one\n\tline two' }).description).toBe('line one\n\tline two');
  });

  it('checks text at any depth, naming the field', () => {
    const terms = workedExampleTerms();
    const data = { ...terms, partners: [{ ...terms.partners[0], name: 'Acme\u202e' }, ...terms.partners.slice(1)] };
    expect(reasons(FormAllianceRequest, data)).toEqual({ 'partners[0].name': expect.stringMatching(/bidirectional/) });
  });

  it('refuses malformed ids', () => {
    expect(reasons(RecordDefinedCostRequest, { ...cost, schemeId: 'has.dot', costId: '' })).toEqual({
      schemeId: expect.stringMatching(/letters, digits/),
      costId: expect.stringMatching(/letters, digits/),
    });
  });

  it('takes signed compensation events but not zero', () => {
    const base = { allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1', ceId: 'CE-1' };
    expect(validateDto(ImplementCompensationEventRequest, { ...base, amount: '-500.00' }).amount).toBe('-500.00');
    expect(reasons(ImplementCompensationEventRequest, { ...base, amount: '0' })).toEqual({ amount: 'must not be zero' });
  });

  it('names nested fields in a formation', () => {
    const terms = workedExampleTerms();
    const data = { ...terms, partners: [{ ...terms.partners[0], allocationShare: 0.1 }, ...terms.partners.slice(1)], shareBands: [{ from: '0', share: '1.5' }] };
    expect(reasons(FormAllianceRequest, data)).toEqual({
      'partners[0].allocationShare': expect.stringMatching(/not a JSON number/),
      'shareBands[0].share': 'must not exceed 1',
    });
  });

  it('keeps hours to two decimal places', () => {
    const base = { allianceId: 'sma', periodId: '2026-Q1' };
    expect(reasons(RecordHoursWorkedRequest, { ...base, hours: '1.234' })).toEqual({ hours: 'has more than 2 decimal places' });
  });

  it('bounds a single amount at £1,000,000,000,000.00 either way, naming the field and the bound', () => {
    expect(validateDto(RecordDefinedCostRequest, { ...cost, amount: '1000000000000.00' }).amount).toBe('1000000000000.00');
    expect(reasons(RecordDefinedCostRequest, { ...cost, amount: '1000000000000.01' })).toEqual({ amount: expect.stringMatching(/at most 1000000000000\.00/) });
    expect(reasons(RecordDefinedCostRequest, { ...cost, amount: '9999999999999.99' })).toEqual({ amount: expect.stringMatching(/at most 1000000000000\.00/) });
    const ce = { allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1', ceId: 'CE-1', amount: '-1000000000000.01' };
    expect(reasons(ImplementCompensationEventRequest, ce)).toEqual({ amount: expect.stringMatching(/at most 1000000000000\.00 either way/) });
  });

  it('bounds hours worked in one entry and KPI values, either way', () => {
    const base = { allianceId: 'sma', periodId: '2026-Q1' };
    expect(validateDto(RecordHoursWorkedRequest, { ...base, hours: '-100000000', reason: 'x' }).hours).toBe('-100000000');
    expect(reasons(RecordHoursWorkedRequest, { ...base, hours: '100000000.01' })).toEqual({ hours: 'must be at most 100000000 either way' });
    const measurement = { ...base, kpiId: 'carbon' };
    expect(validateDto(RecordKpiMeasurementRequest, { ...measurement, value: '-1000000000000' }).value).toBe('-1000000000000');
    expect(reasons(RecordKpiMeasurementRequest, { ...measurement, value: '1000000000000.5' })).toEqual({ value: 'must be at most 1000000000000 either way' });
  });

  it('refuses data that is not an object', () => {
    expect(refusal(() => validateDto(RecordDefinedCostRequest, [cost])).errors).toEqual([{ field: 'data', reason: 'must be a JSON object' }]);
  });
});
