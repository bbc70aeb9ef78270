/**
 * An exact rational number. All incentive arithmetic is done with fractions of pence and only
 * rounded when a money figure is produced, so no intermediate step can lose a penny.
 */
export class Fraction {
  static readonly ZERO = new Fraction(0n, 1n);
  static readonly ONE = new Fraction(1n, 1n);

  private constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}

  static of(numerator: bigint, denominator = 1n): Fraction {
    if (denominator === 0n) throw new RangeError('Fraction denominator cannot be zero');
    if (denominator < 0n) {
      numerator = -numerator;
      denominator = -denominator;
    }
    const divisor = gcd(abs(numerator), denominator);
    return divisor > 1n ? new Fraction(numerator / divisor, denominator / divisor) : new Fraction(numerator, denominator);
  }

  /** Parses a plain decimal string (`"-12.5"`); callers validate the format first. */
  static fromDecimal(text: string): Fraction {
    const negative = text.startsWith('-');
    const unsigned = negative ? text.slice(1) : text;
    const [whole, fraction = ''] = unsigned.split('.');
    const scaled = BigInt(whole + fraction);
    return Fraction.of(negative ? -scaled : scaled, 10n ** BigInt(fraction.length));
  }

  add(other: Fraction): Fraction {
    if (this.denominator === other.denominator) return Fraction.of(this.numerator + other.numerator, this.denominator);
    return Fraction.of(this.numerator * other.denominator + other.numerator * this.denominator, this.denominator * other.denominator);
  }

  sub(other: Fraction): Fraction {
    return this.add(other.neg());
  }

  mul(other: Fraction): Fraction {
    return Fraction.of(this.numerator * other.numerator, this.denominator * other.denominator);
  }

  div(other: Fraction): Fraction {
    if (other.numerator === 0n) throw new RangeError('Division by zero');
    return Fraction.of(this.numerator * other.denominator, this.denominator * other.numerator);
  }

  neg(): Fraction {
    return new Fraction(-this.numerator, this.denominator);
  }

  abs(): Fraction {
    return this.numerator < 0n ? this.neg() : this;
  }

  sign(): -1 | 0 | 1 {
    return this.numerator === 0n ? 0 : this.numerator < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.numerator === 0n;
  }

  compare(other: Fraction): -1 | 0 | 1 {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left === right ? 0 : left < right ? -1 : 1;
  }

  lt(other: Fraction): boolean {
    return this.compare(other) < 0;
  }

  gt(other: Fraction): boolean {
    return this.compare(other) > 0;
  }

  eq(other: Fraction): boolean {
    return this.compare(other) === 0;
  }

  min(other: Fraction): Fraction {
    return this.compare(other) <= 0 ? this : other;
  }

  max(other: Fraction): Fraction {
    return this.compare(other) >= 0 ? this : other;
  }

  /** Rounds toward zero to an integer. */
  truncate(): bigint {
    return this.numerator / this.denominator;
  }

  /** Rounds half away from zero to an integer. */
  round(): bigint {
    const magnitude = (2n * abs(this.numerator) + this.denominator) / (2n * this.denominator);
    return this.numerator < 0n ? -magnitude : magnitude;
  }

  /** Decimal text rounded half away from zero to `places` decimal places, e.g. `"0.950000"`. */
  toFixed(places: number): string {
    const scale = 10n ** BigInt(places);
    const scaled = this.mul(Fraction.of(scale)).round();
    const negative = scaled < 0n;
    const digits = abs(scaled).toString().padStart(places + 1, '0');
    const whole = digits.slice(0, digits.length - places);
    const fraction = places > 0 ? `.${digits.slice(digits.length - places)}` : '';
    return `${negative ? '-' : ''}${whole}${fraction}`;
  }

  toString(): string {
    return this.denominator === 1n ? `${this.numerator}` : `${this.numerator}/${this.denominator}`;
  }
}

export function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
