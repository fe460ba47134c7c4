import type { ReferenceKind } from './references.js';

export interface KindResult {
  kind: ReferenceKind;
  checked: number;
  dangling: number;
  examples: string[];
}

export interface CheckResult {
  kinds: KindResult[];
  requests: number;
  seconds: number;
  scope: string[];
}

/** The report printed by the command. */
export function formatReport(r: CheckResult, url: string): string[] {
  const n = (x: number) => x.toLocaleString('en');
  const width = Math.max(...r.kinds.map((k) => k.kind.name.length));
  const toWidth = Math.max(...r.kinds.map((k) => `${k.kind.from} → ${k.kind.to}`.length));
  const lines = [
    `references through ${url}, scope ${r.scope.join(',')}: ` +
      `${n(r.requests)} requests in ${r.seconds.toFixed(1)} s`,
    `${'kind'.padEnd(width)}  ${'from → to'.padEnd(toWidth)}  ${'checked'.padStart(9)}  ${'dangling'.padStart(8)}`,
  ];
  for (const k of r.kinds) {
    lines.push(
      `${k.kind.name.padEnd(width)}  ${`${k.kind.from} → ${k.kind.to}`.padEnd(toWidth)}  ` +
        `${n(k.checked).padStart(9)}  ${n(k.dangling).padStart(8)}`,
    );
  }
  const dangling = r.kinds.filter((k) => k.dangling > 0);
  for (const k of dangling) {
    lines.push(
      `DANGLING ${k.kind.name} (${k.kind.from} → ${k.kind.to}): ${n(k.dangling)} of ${n(k.checked)}, e.g.`,
    );
    for (const e of k.examples) lines.push(`  ${e}`);
  }
  const total = r.kinds.reduce((a, k) => a + k.checked, 0);
  const bad = r.kinds.reduce((a, k) => a + k.dangling, 0);
  lines.push(
    `${r.kinds.length} kinds: ${n(total)} references checked, ${n(bad)} dangling` +
      (dangling.length > 0 ? ` in ${dangling.map((k) => k.kind.name).join(', ')}` : ''),
  );
  return lines;
}
