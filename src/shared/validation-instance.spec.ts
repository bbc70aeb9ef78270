import 'reflect-metadata';
import { Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { IsLedgerId, IsMoney, IsText, validateDto } from './validation';

class Line {
  @IsLedgerId()
  schemeId: string;

  @IsMoney('positive')
  amount: string;

  @IsOptional()
  @IsText(100)
  description?: string;
}

class Trimmed {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsText(100)
  name: string;

  @IsLedgerId()
  schemeId: string;
}

class Renamed {
  @Expose({ name: 'scheme' })
  @IsLedgerId()
  schemeId: string;
}

class Nested {
  @ValidateNested()
  @Type(() => Line)
  line: Line;
}

class WithMethod {
  @IsLedgerId()
  schemeId: string;

  @IsOptional()
  @IsText(100)
  label?: string;

  get shown(): string {
    return this.label ?? this.schemeId;
  }
}

/** What validateDto returned before it copied known fields itself: plainToInstance's instance. */
function asBefore<T extends object>(dto: new () => T, plain: object): T {
  return plainToInstance(dto, plain, { enableImplicitConversion: false });
}

describe('validateDto builds the same instance as plainToInstance', () => {
  it('for a flat request, the first time and every time after', () => {
    for (const plain of [
      { schemeId: 'A', amount: '1.00' },
      { schemeId: 'B', amount: '2.50', description: 'steel' },
      { amount: '3.00', schemeId: 'C', description: undefined },
    ]) {
      for (let round = 0; round < 3; round += 1) {
        const instance = validateDto(Line, plain);
        expect(instance).toBeInstanceOf(Line);
        expect(instance).toStrictEqual(asBefore(Line, plain));
        expect(Object.keys(instance)).toEqual(Object.keys(plain));
      }
    }
  });

  it('still refuses an unknown field, an object where text belongs and a missing field once the fields are known', () => {
    validateDto(Line, { schemeId: 'A', amount: '1.00', description: 'x' });
    expect(() => validateDto(Line, { schemeId: 'A', amount: '1.00', extra: 'x' })).toThrow(expect.objectContaining({ errors: [{ field: 'extra', reason: 'is not a field of this command' }] }));
    expect(() => validateDto(Line, { schemeId: 'A', amount: { pounds: 1 } })).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'amount' })] }));
    expect(() => validateDto(Line, { schemeId: 'A' })).toThrow(expect.objectContaining({ errors: [{ field: 'amount', reason: 'is required' }] }));
  });

  it('keeps applying @Transform, @Expose names and @Type on later requests', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(validateDto(Trimmed, { name: '  Jo  ', schemeId: 'A' })).toStrictEqual(asBefore(Trimmed, { name: '  Jo  ', schemeId: 'A' }));
      expect(validateDto(Trimmed, { name: '  Jo  ', schemeId: 'A' }).name).toBe('Jo');
      expect(validateDto(Renamed, { scheme: 'A' })).toStrictEqual(asBefore(Renamed, { scheme: 'A' }));
      const nested = validateDto(Nested, { line: { schemeId: 'A', amount: '1.00' } });
      expect(nested.line).toBeInstanceOf(Line);
    }
  });

  it('leaves a field named like a member of the class to plainToInstance, which skips it', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(validateDto(WithMethod, { schemeId: 'A', label: 'x' })).toStrictEqual(asBefore(WithMethod, { schemeId: 'A', label: 'x' }));
      expect(validateDto(WithMethod, { schemeId: 'A', shown: 'x' })).toStrictEqual(asBefore(WithMethod, { schemeId: 'A', shown: 'x' }));
      expect(Object.keys(validateDto(WithMethod, { schemeId: 'A', shown: 'x' }))).toEqual(['schemeId']);
    }
  });
});
