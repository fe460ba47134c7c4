import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import { intBetween, rngFor } from '../../shared/synthetic.js';
import { monthsBetween } from '../../shared/months.js';
import { SEED_FIRST_MONTH, SEED_LAST_MONTH } from '../sales/month.js';
import { ProductCategory, StoreStatus } from '../store/store.entity.js';
import type { Row } from './stores.seed.js';

export const SEED_MONTHS = monthsBetween(SEED_FIRST_MONTH, SEED_LAST_MONTH);
/** A closed store's sales stop after this month. */
const CLOSED_AFTER = '2021-06';

/** Average order value range in fen per category. */
const ORDER_VALUE: Record<ProductCategory, [number, number]> = {
  TEA: [8_000, 30_000],
  FRUIT: [5_000, 15_000],
  VEGETABLES: [3_000, 8_000],
  HANDICRAFTS: [5_000, 40_000],
  PROCESSED_FOOD: [4_000, 12_000],
  OTHER: [3_000, 20_000],
};

/** Tea sells most in the spring harvest (March-May) and before holidays; percent of base. */
function seasonality(category: string, month: string): number {
  const m = Number(month.slice(5));
  if (category === ProductCategory.TEA) return m >= 3 && m <= 5 ? 200 : m >= 10 ? 120 : 90;
  if (category === ProductCategory.FRUIT) return m >= 6 && m <= 10 ? 160 : 70;
  return m >= 11 || m <= 1 ? 130 : 100;
}

export function salesRow(
  storeId: string,
  month: string,
  orders: number,
  fen: bigint,
  note: string | null,
): Row {
  return {
    store_id: storeId,
    month,
    orders,
    revenue_fen: fen.toString(),
    provenance_kind: ProvenanceKind.SYNTHETIC,
    provenance_source: SYNTHETIC_SOURCE,
    provenance_as_of: month,
    provenance_note: note,
  };
}

/** Monthly sales of one store over the seeded months it was open. */
export function storeSales(seed: number, store: Row): Row[] {
  const random = rngFor(seed, `sales:${String(store.id)}`);
  const category = store.category as ProductCategory;
  const base = intBetween(random, 20, 400);
  const value = intBetween(random, ...ORDER_VALUE[category]);
  const opened = String(store.opened_on).slice(0, 7);
  const rows: Row[] = [];
  for (const month of SEED_MONTHS) {
    if (month < opened) continue;
    if (store.status === StoreStatus.CLOSED && month > CLOSED_AFTER) break;
    const growth = month >= '2021-01' ? 110 : 100;
    const orders = Math.floor(
      (base * seasonality(category, month) * growth * intBetween(random, 80, 120)) / 1_000_000,
    );
    const fen = (BigInt(orders) * BigInt(value) * BigInt(intBetween(random, 90, 110))) / 100n;
    rows.push(salesRow(String(store.id), month, orders, fen, null));
  }
  return rows;
}

/** Sum of revenue fen and orders per store id and year, for enterprise yearly figures. */
export function yearTotals(sales: Row[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const s of sales) {
    const key = `${String(s.store_id)}|${String(s.month).slice(0, 4)}`;
    out.set(key, (out.get(key) ?? 0n) + BigInt(s.revenue_fen as string));
  }
  return out;
}
