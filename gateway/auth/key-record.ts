/** What a key record's fields must be, as refusals say it. */
export const KEY_RECORD_SHAPE =
  'string `id` and `hash`, `scopes` a list of strings, quotas whole numbers ≥ 0, ' +
  '`trustedDocumentsOnly` true or false, `revokedAt` a string';

const isCount = (v: unknown) => v == null || (Number.isSafeInteger(v) && (v as number) >= 0);

/**
 * Whether every field of a key record the gateway decides by has its type: a record edited by hand
 * into another shape (scopes as one string, a quota as text) must not answer with other scopes
 * or quotas than the operator meant, nor fail every request of its key.
 */
export function hasKeyRecordShape(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.hash === 'string' &&
    (r.scopes == null ||
      (Array.isArray(r.scopes) && r.scopes.every((s) => typeof s === 'string'))) &&
    isCount(r.rateLimitPerMinute) &&
    isCount(r.dailyQuota) &&
    (r.trustedDocumentsOnly == null || typeof r.trustedDocumentsOnly === 'boolean') &&
    (r.revokedAt == null || typeof r.revokedAt === 'string')
  );
}
