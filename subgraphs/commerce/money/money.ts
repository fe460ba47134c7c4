import { Directive, Field, ObjectType } from 'type-graphql';
import { badUserInput } from '../../shared/errors.js';

/**
 * Money is stored as integer fen (1 yuan = 100 fen) in bigint columns and exposed as a decimal
 * string, so no amount ever passes through a binary float.
 */
@Directive('@shareable')
@ObjectType({ description: 'An amount of money: a decimal string and its ISO 4217 currency.' })
export class Money {
  @Field(() => String, {
    description: 'Decimal amount in yuan with exactly two decimals, e.g. "160000000.00".',
  })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code; always "CNY" here.' })
  currency!: string;
}

/** Formats integer fen (bigint, or a string/number from the driver) as yuan "123.45". */
export function fenToYuan(fen: bigint | string | number): string {
  const value = BigInt(fen);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${sign}${abs / 100n}.${cents}`;
}

export function money(fen: bigint | string | number | null | undefined): Money {
  return Object.assign(new Money(), { amount: fenToYuan(fen ?? 0n), currency: 'CNY' });
}

const DECIMAL = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

/**
 * Parses a non-negative decimal yuan string with at most two decimals into fen. Anything else
 * (negatives, exponents, three decimals, leading zeros) is rejected naming `field`.
 */
export function yuanToFen(text: string, field: string): bigint {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) throw badUserInput(`${field} must not be negative.`, field);
  const m = DECIMAL.exec(trimmed);
  if (!m) {
    throw badUserInput(
      `${field} must be a decimal amount in yuan with at most two decimals, e.g. "1234.50".`,
      field,
    );
  }
  const cents = (m[2] ?? '.').slice(1).padEnd(2, '0');
  return BigInt(m[1]) * 100n + BigInt(cents);
}
