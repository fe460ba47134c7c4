/** The writes the tests send through the gateway, and a subgraph's row counts to compare. */
import type { SubgraphName } from '../../contract/subgraphs.js';
import { ENGINE } from './databases.js';
import type { Stack } from './stack.js';

export const REGISTER = `mutation($i: RegisterOnlineStoreInput!) { registerOnlineStore(input: $i) { id } }`;
export const SALES = `mutation($i: ReportStoreSalesInput!) { reportStoreSales(input: $i) { orders } }`;
export const EVENT = `mutation($i: RecordAuditoriumEventInput!) { recordAuditoriumEvent(input: $i) { id } }`;
export const USAGE = `mutation($i: ReportAuditoriumUsageInput!) { reportAuditoriumUsage(input: $i) { month } }`;
export const BOOKINGS = `mutation($i: ReportAssistedBookingsInput!) {
  reportAssistedBookings(input: $i) { month } }`;
export const HOURS = `mutation($i: UpdateFacilityOpeningHoursInput!) {
  updateFacilityOpeningHours(input: $i) { id } }`;

/** Rows of every table of a subgraph's database (its migration bookkeeping aside). */
export async function rowCounts(stack: Stack, name: SubgraphName): Promise<Record<string, number>> {
  const em = stack.subgraphs[name].started.orm.em.fork();
  const conn = em.getConnection();
  const isPostgres = ENGINE === 'postgresql';
  const tables = (await conn.execute(
    isPostgres
      ? `select tablename as name from pg_tables where schemaname = current_schema()`
      : `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`,
  )) as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name: table } of tables) {
    if (table.startsWith('mikro_orm')) continue;
    const [row] = (await conn.execute(`select count(*) as n from "${table}"`)) as { n: unknown }[];
    counts[table] = Number(row.n);
  }
  return counts;
}
