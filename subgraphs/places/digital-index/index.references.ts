import type { PlacesContext } from '../context.js';
import type { IndexReference } from './index.loaders.js';

/**
 * A `__resolveReference` that also keeps the index inputs the gateway sent with the
 * representation (each domain's `…IndexInput`, which `digitalIndex` and the rankings
 * `@requires`) for the index fields of this request; what it resolves is `resolve`'s business.
 * A representation whose code resolves to nothing keeps nothing.
 */
export function keepingIndexInputs<T>(
  typename: 'Region' | 'Village',
  resolve: (ref: { code: string }, ctx: PlacesContext) => Promise<T | null> | null,
) {
  return (ref: IndexReference, ctx: PlacesContext): Promise<T | null> | null => {
    const found = resolve(ref, ctx);
    if (found !== null) ctx.indexRefs.keep(typename, ref);
    return found;
  };
}
