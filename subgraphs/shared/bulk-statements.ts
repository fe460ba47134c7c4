/** SQL pieces both dialects' bulk writers share (subgraphs/shared/bulk.ts). */

/** A quoted identifier: table and column names come from code, never from a request. */
export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The statement tail after `insert … values/select …`: nothing for a plain insert. */
export function conflictClause(columns: string[], conflictKeys: string[]): string {
  return conflictKeys.length === 0
    ? ''
    : ` on conflict (${conflictKeys.map(q).join(', ')}) ${updateClause(columns, conflictKeys)}`;
}

function updateClause(columns: string[], conflictKeys: string[]): string {
  const updates = columns.filter((c) => !conflictKeys.includes(c));
  return updates.length === 0
    ? 'do nothing'
    : `do update set ${updates.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
}
