import { Directive, Field, ObjectType } from 'type-graphql';

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
