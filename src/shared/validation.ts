import { ClassConstructor, plainToInstance, TransformationType } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, registerDecorator, ValidationArguments, ValidationError, ValidationOptions, validateSync } from 'class-validator';
import { isDecimalText } from './decimal-text';
import { FieldError, invalid, invalidFields } from './domain-error';
import { Fraction } from './fraction';
import { ENTRY_ID_PATTERN, isIsoDate, LEDGER_ID_PATTERN } from './ids';
import { formatPence, MONEY_BOUNDS, moneyPence } from './money';
import { textProblem } from './text';

type Sign = 'positive' | 'non-negative' | 'non-zero' | 'any';

const MONEY_EXAMPLE = 'a decimal string in pounds with at most 2 decimal places, such as "1234.56"';

function describeTextProblem(value: unknown, example: string): string | undefined {
  if (typeof value === 'number') return `must be ${example}, not a JSON number`;
  if (typeof value !== 'string') return `must be ${example}`;
  if (/[eE]/.test(value)) return `must be plain decimal text without an exponent, such as ${example.split('such as ')[1] ?? '"1.5"'}`;
  return undefined;
}

function signProblem(valueSign: -1 | 0 | 1, sign: Sign): string | undefined {
  if (sign === 'positive' && valueSign <= 0) return 'must be greater than 0';
  if (sign === 'non-negative' && valueSign < 0) return 'must not be negative';
  if (sign === 'non-zero' && valueSign === 0) return 'must not be zero';
  return undefined;
}

/** A missing value is reported as required before any rule about its form (a pattern, a sign). */
function customRule(name: string, check: (value: unknown) => string | undefined, options?: ValidationOptions) {
  const checkPresent = (value: unknown) => (value === undefined || value === null ? 'is required' : check(value));
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => checkPresent(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => checkPresent(args?.value) ?? 'is invalid',
      },
    });
}

/**
 * Money in pounds as decimal text: `"1234.56"`; never a JSON number, never more than 2 places,
 * and never more than the largest single amount (`MONEY_BOUNDS.amount`) either way.
 */
export function IsMoney(sign: Sign, options?: ValidationOptions) {
  return customRule(
    'isMoney',
    (value) => {
      const problem = describeTextProblem(value, MONEY_EXAMPLE);
      if (problem) return problem;
      const text = value as string;
      const pence = moneyPence(text);
      if (pence === undefined) {
        return /^-?\d+\.\d{3,}$/.test(text) ? `has more than 2 decimal places; must be ${MONEY_EXAMPLE}` : `must be ${MONEY_EXAMPLE}`;
      }
      if (pence > MONEY_BOUNDS.amount || -pence > MONEY_BOUNDS.amount) {
        return `must be at most ${formatPence(MONEY_BOUNDS.amount)} either way, the largest single amount the ledger accepts`;
      }
      return signProblem(pence === 0n ? 0 : pence < 0n ? -1 : 1, sign);
    },
    options,
  );
}

/** An exact decimal as text (`"0.25"`, `"-3.5"`), optionally bounded (`maxMagnitude`: either way). */
export function IsDecimalText(rules: { sign?: Sign; max?: string; maxMagnitude?: string; maxPlaces?: number } = {}, options?: ValidationOptions) {
  const example = 'a decimal string such as "0.25"';
  return customRule(
    'isDecimalText',
    (value) => {
      const problem = describeTextProblem(value, example);
      if (problem) return problem;
      const text = value as string;
      if (!isDecimalText(text)) return `must be ${example} (no leading zeros, at most 12 decimal places)`;
      const places = text.split('.')[1]?.length ?? 0;
      if (rules.maxPlaces !== undefined && places > rules.maxPlaces) return `has more than ${rules.maxPlaces} decimal places`;
      const parsed = Fraction.fromDecimal(text);
      if (rules.max !== undefined && parsed.gt(Fraction.fromDecimal(rules.max))) return `must not exceed ${rules.max}`;
      if (rules.maxMagnitude !== undefined && parsed.abs().gt(Fraction.fromDecimal(rules.maxMagnitude))) {
        return `must be at most ${rules.maxMagnitude} either way`;
      }
      return signProblem(parsed.sign(), rules.sign ?? 'any');
    },
    options,
  );
}

export function IsLedgerId(options?: ValidationOptions) {
  return customRule(
    'isLedgerId',
    (value) =>
      typeof value === 'string' && LEDGER_ID_PATTERN.test(value)
        ? undefined
        : 'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit',
    options,
  );
}

export function IsEntryId(options?: ValidationOptions) {
  return customRule(
    'isEntryId',
    (value) =>
      typeof value === 'string' && ENTRY_ID_PATTERN.test(value)
        ? undefined
        : 'must be 1–128 letters, digits, "-", "_", ".", ":" or "/", starting with a letter or digit',
    options,
  );
}

export function IsIsoDateText(options?: ValidationOptions) {
  return customRule('isIsoDate', (value) => (isIsoDate(value) ? undefined : 'must be a calendar date written YYYY-MM-DD'), options);
}

export function IsText(maxLength: number, options?: ValidationOptions) {
  return customRule(
    'isText',
    (value) => {
      if (typeof value !== 'string') return 'must be a string';
      if (value.trim().length === 0) return 'must not be empty';
      const problem = textProblem(value);
      if (problem) return problem;
      if (value.length > maxLength) return `must be at most ${maxLength} characters`;
      return undefined;
    },
    options,
  );
}

/** An identity as an OpenID provider writes it in `sub`: 1–255 visible characters, no spaces. */
export function IsSubject(options?: ValidationOptions) {
  return customRule('isSubject', (value) => (typeof value === 'string' && SUBJECT_PATTERN.test(value) ? undefined : 'must be 1–255 visible characters with no spaces (the token’s sub)'), options);
}

export const SUBJECT_PATTERN = /^(?:[\x21-\x7e]|[\u00a1-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\uffef]){1,255}$/u;

/**
 * Turns a plain JSON object into a validated DTO, or throws a DomainError listing every field
 * and the reason it was refused. Unknown fields are refused too: a misspelt field must not be
 * silently dropped from a ledger entry.
 */
export function validateDto<T extends object>(dto: ClassConstructor<T>, plain: unknown, root = 'data'): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) throw invalid(root, 'must be a JSON object');
  const instance = toInstance(dto, plain as Record<string, unknown>);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  const refused = flattenErrors(errors);
  const textRefusals = textProblems(plain).filter((problem) => !refused.some((error) => error.field === problem.field));
  if (refused.length + textRefusals.length > 0) throw invalidFields([...refused, ...textRefusals]);
  learnFieldsCopiedAsIs(dto, plain as Record<string, unknown>);
  return instance;
}

// class-transformer's own registry of @Type, @Transform, @Expose and @Exclude (not in its index).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

keepRuleLookups();

/**
 * class-validator looks a class's rules up on every validation: it filters every rule it holds and
 * tests the class against every other class that has rules (for inherited ones), then groups them
 * by field. The rules are fixed once the classes are defined, so each class's lookup and grouping
 * is kept (for validations without groups, the only kind made here). An imported line is validated
 * once, so this was a cost of every line.
 */
function keepRuleLookups(): void {
  type Lookup = (target: Function, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => object[];
  const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup; groupByPropertyName(rules: object[]): object };
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const kept = new Map<Function, Map<string, object[]>>();
  const grouped = new WeakMap<object[], object>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups && groups.length > 0) return lookUp(target, schema, always, strictGroups, groups);
    const key = `${schema}|${always}|${strictGroups}`;
    let byOptions = kept.get(target);
    if (!byOptions) kept.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.groupByPropertyName = (rules) => {
    let byField = grouped.get(rules);
    if (!byField) grouped.set(rules, (byField = group(rules)));
    return byField;
  };
}

/**
 * Per DTO class, fields a request has validated with, which plainToInstance copies unchanged when
 * their value is not an object: no class-transformer decorator names, types or transforms them,
 * and neither the class nor a new instance has a member of that name. null: the class has class-wide class-transformer
 * settings, so every request goes through plainToInstance. Learnt from requests that passed
 * validation, so only declared fields are kept, however many unknown names requests send.
 */
const fieldsCopiedAsIs = new WeakMap<ClassConstructor<object>, Set<string> | null>();

/**
 * plainToInstance, without its per-field metadata look-ups when every field is one known to be
 * copied as it is and every value is a string, number, boolean or null: what an imported line
 * holds, unless it has a nested list (FormAlliance's partners, say).
 */
function toInstance<T extends object>(dto: ClassConstructor<T>, plain: Record<string, unknown>): T {
  const fields = fieldsCopiedAsIs.get(dto);
  if (fields && Object.getPrototypeOf(plain) === Object.prototype) {
    const keys = Object.keys(plain);
    if (keys.every((key) => fields.has(key) && !isObject(plain[key]))) {
      const instance = new dto() as Record<string, unknown>;
      for (const key of keys) instance[key] = plain[key];
      return instance as T;
    }
  }
  return plainToInstance(dto, plain, { enableImplicitConversion: false });
}

function learnFieldsCopiedAsIs(dto: ClassConstructor<object>, plain: Record<string, unknown>): void {
  let fields = fieldsCopiedAsIs.get(dto);
  if (fields === undefined) {
    const classWide =
      defaultMetadataStorage.getStrategy(dto) !== 'none' || defaultMetadataStorage.getExposedMetadatas(dto).length > 0 || defaultMetadataStorage.getExcludedMetadatas(dto).length > 0;
    fields = classWide ? null : new Set();
    fieldsCopiedAsIs.set(dto, fields);
  }
  if (fields === null) return;
  let blank: object | undefined;
  for (const key of Object.keys(plain)) {
    if (fields.has(key) || isObject(plain[key]) || key in (blank ??= new dto())) continue;
    if (defaultMetadataStorage.findTypeMetadata(dto, key) || defaultMetadataStorage.findTransformMetadatas(dto, key, TransformationType.PLAIN_TO_CLASS).length > 0) continue;
    fields.add(key);
  }
}

function isObject(value: unknown): boolean {
  return (value !== null && typeof value === 'object') || typeof value === 'function';
}

/** Every string in the request, at any depth, is text the read side can show as it was written. */
function textProblems(value: unknown, field = '', depth = 0, found: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    const reason = textProblem(value);
    if (reason) found.push({ field, reason });
    return found;
  }
  if (value === null || typeof value !== 'object' || depth > 32) return found;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) textProblems(value[index], `${field}[${index}]`, depth + 1, found);
    return found;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) textProblems(record[key], field ? `${field}.${key}` : key, depth + 1, found);
  return found;
}

function flattenErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    if (error.value === undefined && constraints.length > 0 && !error.constraints?.whitelistValidation) {
      return [{ field, reason: 'is required' }, ...flattenErrors(error.children ?? [], field)];
    }
    const own = constraints.map(([rule, message]) => ({
      field,
      reason: rule === 'whitelistValidation' ? 'is not a field of this command' : stripProperty(message, error.property),
    }));
    return [...own, ...flattenErrors(error.children ?? [], field)];
  });
}

function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
