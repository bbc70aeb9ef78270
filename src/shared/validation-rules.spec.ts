import 'reflect-metadata';
import * as classTransformer from 'class-transformer';
import { Exclude, Expose, Transform, Type } from 'class-transformer';
import { Allow, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { FieldError } from './domain-error';
import { IsDecimalText, IsEntryId, IsIsoDateText, IsLedgerId, IsMoney, IsSubject, IsText, validateDto } from './validation';
import { refusalOf } from '../../test/support/refusal';

/**
 * One example per rule of the request decorators and of validateDto, asserting the whole list of
 * fields and reasons a client would see in the refusal.
 */

const MONEY = 'must be a decimal string in pounds with at most 2 decimal places, such as "1234.56"';
const DECIMAL = 'must be a decimal string such as "0.25"';
const TOO_MUCH = 'must be at most 1000000000000.00 either way, the largest single amount the ledger accepts';
const LEDGER_ID = 'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit';
const ENTRY_ID = 'must be 1–128 letters, digits, "-", "_", ".", ":" or "/", starting with a letter or digit';
const DATE = 'must be a calendar date written YYYY-MM-DD';
const SUBJECT = 'must be 1–255 visible characters with no spaces (the token’s sub)';
const CONTROL = (code: string) => `contains the control character U+${code}; text may hold tabs and line breaks but no other control characters`;

/** The refusal's errors, in order, after checking it is the invalid-command refusal listing them. */
function refused(dto: new () => object, data: unknown, root?: string): readonly FieldError[] {
  const error = refusalOf(() => validateDto(dto, data, root));
  expect(error.code).toBe('invalid_command');
  expect(error.kind).toBe('invalid');
  expect(error.message).toBe(error.errors.map((item) => `${item.field}: ${item.reason}`).join('; '));
  return error.errors;
}

const only = (field: string, reason: string) => [{ field, reason }];

class Payment {
  @IsMoney('positive')
  positive: string;

  @IsOptional()
  @IsMoney('non-negative')
  nonNegative?: string;

  @IsOptional()
  @IsMoney('non-zero')
  nonZero?: string;

  @IsOptional()
  @IsMoney('any')
  any?: string;
}

const pay = (fields: Partial<Payment>) => ({ positive: '1.00', ...fields });

describe('IsMoney', () => {
  it.each(['0.01', '1', '1.5', '1234.56', '1000000000000.00', '1000000000000'])('accepts %s as a positive amount', (positive) => {
    expect(validateDto(Payment, { positive }).positive).toBe(positive);
  });

  it.each([
    ['a JSON number', 12.5, `${MONEY}, not a JSON number`],
    ['true', true, MONEY],
    ['an object', { pounds: 1 }, MONEY],
    ['an exponent', '1e3', 'must be plain decimal text without an exponent, such as "1234.56"'],
    ['a capital exponent', '1E3', 'must be plain decimal text without an exponent, such as "1234.56"'],
    ['three places', '12.345', `has more than 2 decimal places; ${MONEY}`],
    ['three places, one pound digit', '1.234', `has more than 2 decimal places; ${MONEY}`],
    ['four places', '12.3456', `has more than 2 decimal places; ${MONEY}`],
    ['three places, negative', '-12.345', `has more than 2 decimal places; ${MONEY}`],
    ['three places after a letter', 'x12.345', MONEY],
    ['three places before a letter', '12.345x', MONEY],
    ['three places and no pounds', '.345', MONEY],
    ['a point and no pence', '12.', MONEY],
    ['a comma for a point', '12,345', MONEY],
    ['an empty string', '', MONEY],
    ['negative zero', '-0.00', MONEY],
    ['a leading zero', '01.00', MONEY],
    ['a space', ' 1.00', MONEY],
  ])('refuses %s, with the reason', (_, positive, reason) => {
    expect(refused(Payment, { positive })).toEqual(only('positive', reason));
  });

  it('refuses an amount beyond £1,000,000,000,000.00 either way, and accepts the bound itself', () => {
    expect(validateDto(Payment, pay({ any: '-1000000000000.00' })).any).toBe('-1000000000000.00');
    expect(validateDto(Payment, pay({ any: '1000000000000.00' })).any).toBe('1000000000000.00');
    expect(refused(Payment, pay({ any: '1000000000000.01' }))).toEqual(only('any', TOO_MUCH));
    expect(refused(Payment, pay({ any: '-1000000000000.01' }))).toEqual(only('any', TOO_MUCH));
    expect(refused(Payment, pay({ positive: '9999999999999.99' }))).toEqual(only('positive', TOO_MUCH));
  });

  it('applies each sign rule, and only its own', () => {
    expect(refused(Payment, pay({ positive: '0.00' }))).toEqual(only('positive', 'must be greater than 0'));
    expect(refused(Payment, pay({ positive: '-0.01' }))).toEqual(only('positive', 'must be greater than 0'));

    expect(validateDto(Payment, pay({ nonNegative: '0' })).nonNegative).toBe('0');
    expect(validateDto(Payment, pay({ nonNegative: '0.01' })).nonNegative).toBe('0.01');
    expect(refused(Payment, pay({ nonNegative: '-0.01' }))).toEqual(only('nonNegative', 'must not be negative'));

    expect(validateDto(Payment, pay({ nonZero: '-0.01' })).nonZero).toBe('-0.01');
    expect(validateDto(Payment, pay({ nonZero: '0.01' })).nonZero).toBe('0.01');
    expect(refused(Payment, pay({ nonZero: '0.00' }))).toEqual(only('nonZero', 'must not be zero'));

    for (const any of ['-5.00', '0', '5.00']) expect(validateDto(Payment, pay({ any })).any).toBe(any);
  });

  it('reports a missing or null amount as required, not as badly written', () => {
    expect(refused(Payment, {})).toEqual(only('positive', 'is required'));
    expect(refused(Payment, { positive: null })).toEqual(only('positive', 'is required'));
  });
});

class Measure {
  @IsDecimalText()
  value: string;

  @IsOptional()
  @IsDecimalText({ sign: 'positive', maxPlaces: 2 })
  hours?: string;

  @IsOptional()
  @IsDecimalText({ max: '1' })
  share?: string;

  @IsOptional()
  @IsDecimalText({ maxMagnitude: '100' })
  reading?: string;

  @IsOptional()
  @IsDecimalText({ sign: 'non-negative' })
  count?: string;
}

const measure = (fields: Partial<Measure>) => ({ value: '1', ...fields });

describe('IsDecimalText', () => {
  it.each(['0', '5', '-5', '0.25', '-3.5', '123456789012345', '1.123456789012'])('accepts %s with no bounds', (value) => {
    expect(validateDto(Measure, { value }).value).toBe(value);
  });

  it.each([
    ['a JSON number', 0.25, `${DECIMAL}, not a JSON number`],
    ['null', null, 'is required'],
    ['a list', ['1'], DECIMAL],
    ['an exponent', '2.5e-3', 'must be plain decimal text without an exponent, such as "0.25"'],
    ['a leading zero', '01', `${DECIMAL} (no leading zeros, at most 12 decimal places)`],
    ['thirteen places', '0.1234567890123', `${DECIMAL} (no leading zeros, at most 12 decimal places)`],
    ['negative zero', '-0', `${DECIMAL} (no leading zeros, at most 12 decimal places)`],
  ])('refuses %s, with the reason', (_, value, reason) => {
    expect(refused(Measure, { value })).toEqual(only('value', reason));
  });

  it('counts decimal places against maxPlaces', () => {
    expect(validateDto(Measure, measure({ hours: '7' })).hours).toBe('7');
    expect(validateDto(Measure, measure({ hours: '7.25' })).hours).toBe('7.25');
    expect(refused(Measure, measure({ hours: '7.125' }))).toEqual(only('hours', 'has more than 2 decimal places'));
    expect(refused(Measure, measure({ hours: '0' }))).toEqual(only('hours', 'must be greater than 0'));
  });

  it('bounds a value by max, inclusive', () => {
    expect(validateDto(Measure, measure({ share: '1' })).share).toBe('1');
    expect(validateDto(Measure, measure({ share: '-7' })).share).toBe('-7');
    expect(refused(Measure, measure({ share: '1.000000000001' }))).toEqual(only('share', 'must not exceed 1'));
  });

  it('bounds a value by magnitude either way, inclusive', () => {
    for (const reading of ['100', '-100', '0']) expect(validateDto(Measure, measure({ reading })).reading).toBe(reading);
    expect(refused(Measure, measure({ reading: '100.01' }))).toEqual(only('reading', 'must be at most 100 either way'));
    expect(refused(Measure, measure({ reading: '-100.01' }))).toEqual(only('reading', 'must be at most 100 either way'));
  });

  it('applies a sign rule when one is given', () => {
    expect(validateDto(Measure, measure({ count: '0' })).count).toBe('0');
    expect(refused(Measure, measure({ count: '-1' }))).toEqual(only('count', 'must not be negative'));
  });
});

class Ids {
  @IsLedgerId()
  allianceId: string;

  @IsOptional()
  @IsEntryId()
  entryId?: string;

  @IsOptional()
  @IsIsoDateText()
  on?: string;

  @IsOptional()
  @IsSubject()
  subject?: string;
}

const ids = (fields: Partial<Ids>) => ({ allianceId: 'sma', ...fields });

describe('ids, dates and subjects', () => {
  it('accepts well-formed ones', () => {
    const data = { allianceId: 'A_b-9', entryId: 'inv/2026:07.1-a_b', on: '2024-02-29', subject: 'auth0|5f7c8ec7c33c6c004bbafe82' };
    expect(validateDto(Ids, data)).toEqual(data);
  });

  it.each([
    ['allianceId', 'has.dot', LEDGER_ID],
    ['allianceId', '-leading', LEDGER_ID],
    ['allianceId', 7, LEDGER_ID],
    ['allianceId', null, 'is required'],
    ['entryId', '', ENTRY_ID],
    ['entryId', 'a b', ENTRY_ID],
    ['entryId', 7, ENTRY_ID],
    ['on', '2026-02-29', DATE],
    ['on', '2026-1-01', DATE],
    ['on', 20260101, DATE],
    ['subject', 'has space', SUBJECT],
    ['subject', '', SUBJECT],
    ['subject', 7, SUBJECT],
  ])('refuses %s %p', (field, value, reason) => {
    expect(refused(Ids, ids({ [field]: value }))).toEqual(only(field, reason));
  });
});

class Note {
  @IsText(5)
  title: string;

  @IsOptional()
  @IsString()
  free?: string;
}

describe('IsText', () => {
  it('accepts text up to its length, tabs and line breaks included', () => {
    expect(validateDto(Note, { title: 'abcde' }).title).toBe('abcde');
    expect(validateDto(Note, { title: 'a\tb\nc' }).title).toBe('a\tb\nc');
    expect(validateDto(Note, { title: ' a ' }).title).toBe(' a ');
  });

  it.each([
    ['too long', 'abcdef', 'must be at most 5 characters'],
    ['empty', '', 'must not be empty'],
    ['only spaces', '   ', 'must not be empty'],
    ['not a string', 5, 'must be a string'],
    ['a control character', 'a\u0001', CONTROL('0001')],
    ['too long and a control character', 'abcdef\u0001', CONTROL('0001')],
  ])('refuses text that is %s, with one reason', (_, title, reason) => {
    expect(refused(Note, { title })).toEqual(only('title', reason));
  });
});

describe('validateDto', () => {
  it.each([
    ['null', null],
    ['a string', '{}'],
    ['a number', 5],
    ['a list', [{ title: 'a' }]],
    ['undefined', undefined],
  ])('refuses %s where an object belongs, naming the whole', (_, data) => {
    expect(refused(Note, data)).toEqual(only('data', 'must be a JSON object'));
    expect(refused(Note, data, 'line')).toEqual(only('line', 'must be a JSON object'));
  });

  it('refuses unknown fields by name, even when they hold nothing, and alongside other refusals', () => {
    expect(refused(Note, { title: 'a', titel: 'b' })).toEqual(only('titel', 'is not a field of this command'));
    expect(refused(Note, { title: 'a', extra: undefined })).toEqual(only('extra', 'is not a field of this command'));
    expect(refused(Note, { title: 'a', '2nd': 'b', x1: 'c' })).toEqual([
      { field: '2nd', reason: 'is not a field of this command' },
      { field: 'x1', reason: 'is not a field of this command' },
    ]);
    expect(refused(Note, { titel: 'b' })).toEqual([
      { field: 'titel', reason: 'is not a field of this command' },
      { field: 'title', reason: 'is required' },
    ]);
  });

  it('reports a missing field as required whatever rule it has, and strips the field name from class-validator messages', () => {
    class Loose {
      @IsString()
      name: string;

      @IsOptional()
      @IsInt()
      count?: number;
    }
    expect(refused(Loose, {})).toEqual(only('name', 'is required'));
    expect(refused(Loose, { name: 5, count: 'x' })).toEqual([
      { field: 'name', reason: 'must be a string' },
      { field: 'count', reason: 'must be an integer number' },
    ]);
  });

  it('refuses text that no rule looks at, in the field where it is, once', () => {
    expect(refused(Note, { title: 'a', free: 'x\u202ey' })).toEqual(
      only('free', 'contains the bidirectional control U+202E, which makes text display differently from how it is stored'),
    );
    expect(refused(Note, { title: 'a\u0001', free: 'b\u0002' })).toEqual([
      { field: 'title', reason: CONTROL('0001') },
      { field: 'free', reason: CONTROL('0002') },
    ]);
    expect(refused(Note, { title: 'abcdefg', free: 'b\u0002' })).toEqual([
      { field: 'title', reason: 'must be at most 5 characters' },
      { field: 'free', reason: CONTROL('0002') },
    ]);
  });

  it('accepts a request, returning an instance of the class with its fields', () => {
    const note = validateDto(Note, { title: 'a', free: 'b' });
    expect(note).toBeInstanceOf(Note);
    expect(note).toEqual({ title: 'a', free: 'b' });
  });

  it('refuses everything for a class that declares no rules, rather than passing unchecked data', () => {
    class NoRules {
      name?: string;
    }
    expect(refusalOf(() => validateDto(NoRules, {})).code).toBe('invalid_command');
  });
});

class Line {
  @IsLedgerId()
  schemeId: string;

  @IsMoney('positive')
  amount: string;
}

class Batch {
  @IsText(20)
  label: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines: Line[];

  @IsOptional()
  @ValidateNested()
  @Type(() => Line)
  main?: Line;

  @IsOptional()
  @Allow()
  meta?: unknown;
}

const line = { schemeId: 'A', amount: '1.00' };

describe('validateDto on nested requests', () => {
  it('names fields inside lists and objects', () => {
    expect(refused(Batch, { label: 'b', lines: [line, { schemeId: 'has.dot', amount: '0' }], main: { schemeId: 'A' } })).toEqual([
      { field: 'lines[1].schemeId', reason: LEDGER_ID },
      { field: 'lines[1].amount', reason: 'must be greater than 0' },
      { field: 'main.amount', reason: 'is required' },
    ]);
  });

  it('names an item past the ninth by its whole index', () => {
    const lines = Array.from({ length: 12 }, () => line);
    lines[10] = { schemeId: 'A', amount: '-1.00' };
    expect(refused(Batch, { label: 'b', lines })).toEqual(only('lines[10].amount', 'must be greater than 0'));
  });

  it('refuses unknown fields inside nested objects, by their path', () => {
    expect(refused(Batch, { label: 'b', lines: [{ ...line, extra: 1 }], main: { ...line, other2: 'x' } })).toEqual([
      { field: 'lines[0].extra', reason: 'is not a field of this command' },
      { field: 'main.other2', reason: 'is not a field of this command' },
    ]);
  });

  it('finds text problems at any depth and names them by path', () => {
    const meta = { notes: ['ok', 'bad\u0003'], who: { name: 'x\u202d' }, n: 1, none: null };
    expect(refused(Batch, { label: 'b', lines: [line], meta })).toEqual([
      { field: 'meta.notes[1]', reason: CONTROL('0003') },
      { field: 'meta.who.name', reason: 'contains the bidirectional control U+202D, which makes text display differently from how it is stored' },
    ]);
  });

  it('looks at strings 33 levels deep but no deeper, where no JSON body the service reads can reach', () => {
    const nest = (levels: number, inner: unknown): unknown => (levels === 0 ? inner : { n: nest(levels - 1, inner) });
    // meta is the first level; 32 more objects inside it hold the string at depth 33.
    const at33 = refused(Batch, { label: 'b', lines: [line], meta: nest(32, 'x\u0001') });
    expect(at33).toEqual(only(`meta${'.n'.repeat(32)}`, CONTROL('0001')));
    expect(validateDto(Batch, { label: 'b', lines: [line], meta: nest(33, 'x\u0001') }).label).toBe('b');
  });

  it('counts lists as levels too', () => {
    const nest = (levels: number, inner: unknown): unknown => (levels === 0 ? inner : [nest(levels - 1, inner)]);
    expect(refused(Batch, { label: 'b', lines: [line], meta: nest(32, 'x\u0001') })).toEqual(only(`meta${'[0]'.repeat(32)}`, CONTROL('0001')));
    expect(validateDto(Batch, { label: 'b', lines: [line], meta: nest(33, 'x\u0001') }).label).toBe('b');
  });
});

describe('validateDto after it has learnt a class', () => {
  class Counted {
    @Type(() => Number)
    @IsInt()
    count: number;

    @IsLedgerId()
    schemeId: string;
  }

  @Exclude()
  class Exposed {
    @Expose()
    @IsLedgerId()
    schemeId: string;

    @IsOptional()
    @IsLedgerId()
    hidden?: string;
  }

  class Trimmed {
    @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
    @IsText(10)
    name: string;
  }

  it('keeps converting a field with @Type on every request', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(validateDto(Counted, { count: '5', schemeId: 'A' })).toEqual({ count: 5, schemeId: 'A' });
    }
  });

  it('keeps applying @Transform on every request', () => {
    for (let round = 0; round < 3; round += 1) expect(validateDto(Trimmed, { name: ' Jo ' }).name).toBe('Jo');
  });

  it('keeps leaving out fields a class-wide @Exclude leaves out', () => {
    for (let round = 0; round < 3; round += 1) {
      const instance = validateDto(Exposed, { schemeId: 'A', hidden: 'B' });
      expect(instance).toBeInstanceOf(Exposed);
      expect(instance.hidden).toBeUndefined();
    }
  });

  it('still refuses what it refused the first time', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(validateDto(Line, line)).toEqual(line);
      expect(refused(Line, { schemeId: 'A', amount: '1.001' })).toEqual(only('amount', `has more than 2 decimal places; ${MONEY}`));
      expect(refused(Line, { schemeId: 'A' })).toEqual(only('amount', 'is required'));
      expect(refused(Line, { ...line, note: 'x' })).toEqual(only('note', 'is not a field of this command'));
      expect(refused(Line, { schemeId: 'A', amount: { pounds: 1 } })).toEqual(only('amount', MONEY));
    }
  });

  it('copies a request whose prototype is not a plain object the way class-transformer does', () => {
    validateDto(Line, line);
    const bare = Object.assign(Object.create(null), line);
    expect(validateDto(Line, bare)).toEqual(line);
  });

  describe('without class-transformer', () => {
    class Flat {
      @IsLedgerId()
      schemeId: string;

      @IsOptional()
      @IsText(10)
      note?: string | null;
    }

    afterEach(() => jest.restoreAllMocks());

    it('builds a flat request of fields it has accepted before itself, and any other request through plainToInstance', () => {
      const plainToInstance = jest.spyOn(classTransformer, 'plainToInstance');
      expect(validateDto(Flat, { schemeId: 'A', note: 'x' })).toEqual({ schemeId: 'A', note: 'x' });
      expect(plainToInstance).toHaveBeenCalledTimes(1);

      expect(validateDto(Flat, { schemeId: 'B', note: null })).toEqual({ schemeId: 'B', note: null });
      expect(validateDto(Flat, { note: 'y', schemeId: 'C' })).toEqual({ note: 'y', schemeId: 'C' });
      expect(validateDto(Flat, { schemeId: 'C' })).toEqual({ schemeId: 'C' });
      expect(validateDto(Flat, { schemeId: 'C', note: 'z' })).toEqual({ schemeId: 'C', note: 'z' });
      expect(plainToInstance).toHaveBeenCalledTimes(1);

      expect(refused(Flat, { schemeId: 'D', note: { text: 'x' } })).toEqual(only('note', 'must be a string'));
      expect(plainToInstance).toHaveBeenCalledTimes(2);
      expect(refused(Flat, { schemeId: 'D', other: 'x' })).toEqual(only('other', 'is not a field of this command'));
      expect(plainToInstance).toHaveBeenCalledTimes(3);
      expect(validateDto(Flat, Object.assign(Object.create(null), { schemeId: 'E' }))).toEqual({ schemeId: 'E' });
      expect(plainToInstance).toHaveBeenCalledTimes(4);
      expect(refused(Flat, { schemeId: 'F', note: () => 'x' })).toEqual(only('note', 'must be a string'));
      expect(plainToInstance).toHaveBeenCalledTimes(5);
    });

    @Exclude()
    class Chosen {
      @Expose()
      @IsLedgerId()
      schemeId: string;
    }

    class WithMember {
      @IsLedgerId()
      schemeId: string;

      get shown(): string {
        return this.schemeId;
      }
    }

    it('leaves a field named like a member of the class to plainToInstance every time', () => {
      const plainToInstance = jest.spyOn(classTransformer, 'plainToInstance');
      for (let round = 0; round < 3; round += 1) expect(validateDto(WithMember, { schemeId: 'A', shown: 'x' })).toEqual({ schemeId: 'A' });
      expect(plainToInstance).toHaveBeenCalledTimes(3);
    });

    class WithExcluded {
      @IsLedgerId()
      schemeId: string;

      @Exclude()
      secret?: string;
    }

    it('keeps leaving out a field marked @Exclude on later requests', () => {
      for (let round = 0; round < 3; round += 1) expect(validateDto(WithExcluded, { schemeId: 'A', secret: 'x' })).toEqual({ schemeId: 'A' });
    });

    it('always goes through plainToInstance for a class with class-wide settings', () => {
      const plainToInstance = jest.spyOn(classTransformer, 'plainToInstance');
      for (let round = 0; round < 3; round += 1) expect(validateDto(Chosen, { schemeId: 'A' })).toEqual({ schemeId: 'A' });
      expect(plainToInstance).toHaveBeenCalledTimes(3);
    });
  });
});
