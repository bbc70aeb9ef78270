import { FormAllianceRequest } from '../alliance/commands/form-alliance';
import { RecordKpiMeasurementRequest } from '../performance/commands/record-kpi-measurement';
import { RecordHoursWorkedRequest } from '../safety/commands/record-hours-worked';
import { RecordDefinedCostRequest } from '../schemes/commands/record-defined-cost';
import { ImplementCompensationEventRequest } from '../schemes/commands/implement-compensation-event';
import { workedExampleTerms } from '../../test/support/alliance-fixtures';
import { DomainError } from './domain-error';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsObject, IsOptional, IsString, ValidateNested, validateSync } from 'class-validator';
import { IsDecimalText, IsEntryId, IsIsoDateText, IsLedgerId, IsMoney, IsSubject, IsText, validateDto } from './validation';
import { refusalOf } from '../../test/support/refusal';

const cost = { allianceId: 'sma', schemeId: 'A', periodId: '2026-Q1', costId: 'C-1', amount: '1234.56' };

function reasons(dto: Parameters<typeof validateDto>[0], data: unknown): Record<string, string> {
  const error = refusalOf(() => validateDto(dto, data));
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
    expect(refusalOf(() => validateDto(RecordDefinedCostRequest, [cost])).errors).toEqual([{ field: 'data', reason: 'must be a JSON object' }]);
  });
});

/** A request of one field under one rule, as a command's DTO would declare it. */
function probe(rule: (target: object, propertyName: string) => void) {
  class Probe {
    field?: unknown;
  }
  rule(Probe.prototype, 'field');
  return Probe;
}

/** The reasons the field is refused for, or [] when the rule takes the value (undefined: the field is left out). */
function refusals(rule: (target: object, propertyName: string) => void, value: unknown): string[] {
  try {
    validateDto(probe(rule), value === undefined ? {} : { field: value });
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.errors.map(({ field, reason }) => `${field}: ${reason}`);
  }
}

const MONEY = 'must be a decimal string in pounds with at most 2 decimal places, such as "1234.56"';
const DECIMAL = 'must be a decimal string such as "0.25" (no leading zeros, at most 12 decimal places)';

describe('each validation rule on its own', () => {
  it('money: a value that is not text is described as money, an exponent is named, and a leftover suffix or prefix is not taken for extra places', () => {
    expect(refusals(IsMoney('any'), true)).toEqual([`field: ${MONEY}`]);
    expect(refusals(IsMoney('any'), '1e6')).toEqual(['field: must be plain decimal text without an exponent, such as "1234.56"']);
    expect(refusals(IsMoney('any'), '1,000.123')).toEqual([`field: ${MONEY}`]);
    expect(refusals(IsMoney('any'), '1.234x')).toEqual([`field: ${MONEY}`]);
    expect(refusals(IsMoney('any'), '1.234')).toEqual([`field: has more than 2 decimal places; ${MONEY}`]);
  });

  it('money: takes the bound exactly either way, and refuses a negative where it must not be', () => {
    expect(refusals(IsMoney('any'), '-1000000000000.00')).toEqual([]);
    expect(refusals(IsMoney('any'), '1000000000000.00')).toEqual([]);
    expect(refusals(IsMoney('non-negative'), '-0.01')).toEqual(['field: must not be negative']);
    expect(refusals(IsMoney('non-negative'), '0.00')).toEqual([]);
  });

  it('reports a field left out or null as required, whatever its rule', () => {
    expect(refusals(IsMoney('positive'), undefined)).toEqual(['field: is required']);
    expect(refusals(IsMoney('positive'), null)).toEqual(['field: is required']);
    expect(refusals(IsBoolean(), undefined)).toEqual(['field: is required']);
    expect(refusals(IsLedgerId(), null)).toEqual(['field: is required']);
  });

  it('gives class-validator’s own rules their message without the field’s name', () => {
    expect(refusals(IsBoolean(), 'yes')).toEqual(['field: must be a boolean value']);
  });

  it('decimals: refuses leading zeros, takes any number of places up to 12 unless bounded, and checks the sign only when one is asked for', () => {
    expect(refusals(IsDecimalText(), '007')).toEqual([`field: ${DECIMAL}`]);
    expect(refusals(IsDecimalText(), '-1.123456789012')).toEqual([]);
    expect(refusals(IsDecimalText({ maxPlaces: 2 }), '1.123')).toEqual(['field: has more than 2 decimal places']);
    expect(refusals(IsDecimalText({ sign: 'positive' }), '0')).toEqual(['field: must be greater than 0']);
    expect(refusals(IsDecimalText({ sign: 'non-zero' }), '-0.5')).toEqual([]);
  });

  it('ids and dates: a JSON number is not an id, even one that reads like one', () => {
    expect(refusals(IsLedgerId(), 7)).toEqual(['field: must be 1–64 letters, digits, "-" or "_", starting with a letter or digit']);
    expect(refusals(IsEntryId(), 7)).toEqual(['field: must be 1–128 letters, digits, "-", "_", ".", ":" or "/", starting with a letter or digit']);
    expect(refusals(IsIsoDateText(), '2026-02-30')).toEqual(['field: must be a calendar date written YYYY-MM-DD']);
    expect(refusals(IsIsoDateText(), '2026-02-28')).toEqual([]);
  });

  it('text: a string, not blank, no longer than its bound', () => {
    expect(refusals(IsText(5), 7)).toEqual(['field: must be a string']);
    expect(refusals(IsText(5), ' \t ')).toEqual(['field: must not be empty']);
    expect(refusals(IsText(5), 'abcdef')).toEqual(['field: must be at most 5 characters']);
    expect(refusals(IsText(5), 'abcde')).toEqual([]);
  });

  it('text: the rule itself refuses what the read side cannot show, before any other check', () => {
    const instance = Object.assign(new (probe(IsText(5)))(), { field: 'a\u202ebcdefgh' });
    expect(validateSync(instance).flatMap((error) => Object.values(error.constraints ?? {}))).toEqual([
      'contains the bidirectional control U+202E, which makes text display differently from how it is stored',
    ]);
  });

  it('subjects: visible characters without spaces, as a token’s sub', () => {
    expect(refusals(IsSubject(), 'auth0|alice@example.com')).toEqual([]);
    for (const value of ['has space', 7]) {
      expect(refusals(IsSubject(), value)).toEqual(['field: must be 1–255 visible characters with no spaces (the token’s sub)']);
    }
  });
});

describe('the text sweep over a whole request', () => {
  class Note {
    @IsText(100)
    text?: string;

    @IsString()
    note?: string;

    @IsMoney('any')
    amount?: string;

    @IsOptional()
    @IsObject()
    detail?: Record<string, unknown>;

    @IsOptional()
    @IsArray()
    lines?: string[];
  }

  it('finds what no field rule looks for, at any depth, naming where it is', () => {
    const error = refusalOf(() => validateDto(Note, { text: 'ok', note: 'ok', amount: '1.00', detail: { a: { b: 'x\u0000' } }, lines: ['ok', 'y\u202e'] }));
    expect(error.errors).toEqual([
      { field: 'detail.a.b', reason: 'contains the control character U+0000; text may hold tabs and line breaks but no other control characters' },
      { field: 'lines[1]', reason: 'contains the bidirectional control U+202E, which makes text display differently from how it is stored' },
    ]);
    expect(refusalOf(() => validateDto(Note, { text: 'ok', note: 'n\u202e', amount: '1.00' })).errors).toEqual([
      { field: 'note', reason: 'contains the bidirectional control U+202E, which makes text display differently from how it is stored' },
    ]);
  });

  it('names each refused field once: the field rules first, then what only the sweep found', () => {
    const bidi = 'contains the bidirectional control U+202E, which makes text display differently from how it is stored';
    const error = refusalOf(() => validateDto(Note, { text: 'a\u202e', note: 'b\u202e', amount: 'x' }));
    expect(error.errors).toEqual([
      { field: 'text', reason: bidi },
      { field: 'amount', reason: MONEY },
      { field: 'note', reason: bidi },
    ]);
  });

  it('names array items by index, past the tenth too, and a field ending in digits by its name', () => {
    class Item {
      @IsText(5)
      name?: string;
    }
    class Items {
      @IsArray()
      @ValidateNested({ each: true })
      @Type(() => Item)
      items?: Item[];

      @IsOptional()
      @IsText(5)
      line2?: string;
    }
    const items = Array.from({ length: 11 }, () => ({ name: 'ok' }));
    items[10] = { name: 'toolong' };
    expect(refusalOf(() => validateDto(Items, { items, line2: 'toolong' })).errors.map((item) => item.field)).toEqual(['items[10].name', 'line2']);
  });

  it('refuses a body that is null or not an object', () => {
    for (const plain of [null, 'text', 7]) expect(refusalOf(() => validateDto(Note, plain)).errors).toEqual([{ field: 'data', reason: 'must be a JSON object' }]);
  });
});
