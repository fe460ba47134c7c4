import { badUserInput } from '../../shared/errors.js';
import { pageOf, type Page, type PageArgs } from '../../shared/pagination.js';
import type { PlacesContext } from '../context.js';

/**
 * The page of a list of villages (in code order, in `region` when given): its cursor holds the
 * code of the last village handed out, so it must be the code of a village there is. Any other
 * key paged from wherever it fell: a forged or garbled one past the region's last code (or a
 * code of no village) answered an empty page, `hasNextPage: false`, and an export resumed with
 * it ended `done` with none of the villages after the real one.
 */
export async function villagePageOf(
  ctx: PlacesContext,
  args: PageArgs,
  region?: string,
): Promise<Page> {
  const page = pageOf(args, region);
  const code = page.cursor;
  if (code !== null && (!/^\d{12}$/.test(code) || !(await ctx.loaders.villageByCode.load(code)))) {
    throw badUserInput('`after` is not a cursor returned by this API.', 'after');
  }
  return page;
}
