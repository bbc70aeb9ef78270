import { DomainError, invalid } from './domain-error';
import { textProblem } from './text';

export const MAX_JSON_DEPTH = 32;

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface StrictJsonOptions {
  /** How the whole document is named in refusals: "body" or "line". */
  root: string;
  maxDepth?: number;
}

/**
 * JSON.parse, but refusing what it lets through silently: a repeated key (JSON.parse keeps the
 * last), `__proto__` (dropped by class-transformer), `constructor` and `prototype` keys, nesting
 * deeper than `maxDepth`, and strings holding what `textProblem` refuses. Refusals name the field
 * (`data.amount`, `partners[0].name`) or, for syntax, the character where parsing stopped.
 */
export function parseStrictJson(text: string, options: StrictJsonOptions): unknown {
  return new Scanner(text, options.root, options.maxDepth ?? MAX_JSON_DEPTH).document();
}

class Scanner {
  private pos = 0;
  private readonly path: Array<string | number> = [];

  constructor(
    private readonly text: string,
    private readonly root: string,
    private readonly maxDepth: number,
  ) {}

  document(): unknown {
    this.skipSpace();
    const value = this.value(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.syntax('unexpected text after the JSON value');
    return value;
  }

  private value(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x22) return this.checkedString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    return this.syntax(this.pos >= this.text.length ? 'it ends where a value was expected' : 'a value was expected');
  }

  private literal<T>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private object(depth: number): Record<string, unknown> {
    this.enter(depth);
    const result: Record<string, unknown> = {};
    this.pos += 1;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) this.syntax('a field name in double quotes was expected');
      const key = this.string();
      this.path.push(key);
      if (RESERVED_KEYS.has(key)) this.refuse('invalid_json', 'is a reserved name and cannot be a field');
      if (Object.prototype.hasOwnProperty.call(result, key)) this.refuse('invalid_json', 'appears more than once in the same object; send each field once');
      const problem = textProblem(key);
      if (problem) this.refuse('invalid_text', `field name ${problem}`);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.syntax('":" was expected after a field name');
      this.pos += 1;
      this.skipSpace();
      result[key] = this.value(depth);
      this.path.pop();
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos);
      this.pos += 1;
      if (next === 0x7d) return result;
      if (next !== 0x2c) this.syntax('"," or "}" was expected', this.pos - 1);
      this.skipSpace();
    }
  }

  private array(depth: number): unknown[] {
    this.enter(depth);
    const result: unknown[] = [];
    this.pos += 1;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos += 1;
      return result;
    }
    for (;;) {
      this.path.push(result.length);
      result.push(this.value(depth));
      this.path.pop();
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos);
      this.pos += 1;
      if (next === 0x5d) return result;
      if (next !== 0x2c) this.syntax('"," or "]" was expected', this.pos - 1);
      this.skipSpace();
    }
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) throw invalid(this.root, `nests objects and arrays deeper than ${this.maxDepth} levels`, 'invalid_json');
  }

  private checkedString(): string {
    const value = this.string();
    const problem = textProblem(value);
    if (problem) this.refuse('invalid_text', problem);
    return value;
  }

  private string(): string {
    const text = this.text;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) this.unterminatedOrControl(i);
      i += 1;
    }
    let value = text.slice(start, i);
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return value;
      }
      if (c < 0x20 || Number.isNaN(c)) this.unterminatedOrControl(i);
      if (c !== 0x5c) {
        value += text[i];
        i += 1;
        continue;
      }
      const escape = text[i + 1];
      i += 2;
      switch (escape) {
        case '"': value += '"'; break;
        case '\\': value += '\\'; break;
        case '/': value += '/'; break;
        case 'b': value += '\b'; break;
        case 'f': value += '\f'; break;
        case 'n': value += '\n'; break;
        case 'r': value += '\r'; break;
        case 't': value += '\t'; break;
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.syntax('\\u must be followed by four hex digits', i - 2);
          value += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          this.syntax('not a JSON escape sequence', i - 2);
      }
    }
  }

  private unterminatedOrControl(at: number): never {
    if (at >= this.text.length) this.syntax('a string is not closed', at);
    return this.syntax('a control character inside a string must be escaped', at);
  }

  private number(): number {
    JSON_NUMBER.lastIndex = this.pos;
    const found = JSON_NUMBER.exec(this.text);
    if (!found) this.syntax('not a JSON number');
    this.pos += found![0].length;
    return Number(found![0]);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos += 1;
    }
  }

  private refuse(code: string, reason: string): never {
    const field = this.fieldName();
    throw new DomainError(code, 'invalid', `${field}: ${reason}`, [{ field, reason }]);
  }

  private syntax(what: string, at = this.pos): never {
    throw invalid(this.root, `is not valid JSON: ${what} at character ${at + 1}`, 'invalid_json');
  }

  private fieldName(): string {
    let name = '';
    for (const part of this.path) name += typeof part === 'number' ? `[${part}]` : name ? `.${part}` : part;
    return name || this.root;
  }
}
