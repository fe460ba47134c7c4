import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { findIn } from '../../shared/loaders.js';
import { Village, VillageKind } from '../village/village.entity.js';
import type { IndexInputs } from './index.externals.js';

/** A representation the gateway sends for an index field: the key plus the required views. */
export interface IndexReference extends IndexInputs {
  code: string;
  children?: IndexInputs[] | null;
  indexVillages?: IndexInputs[] | null;
}

const COLUMN: Record<number, 'countyCode' | 'townshipCode'> = {
  6: 'countyCode',
  9: 'townshipCode',
};

export function createIndexLoaders(em: EntityManager) {
  return {
    /**
     * The rural villages of counties and townships (the places a village ranking covers), by
     * code: one statement per level in a batch. Other levels get [].
     */
    ruralVillagesOf: new DataLoader<string, Village[]>(async (codes) => {
      const byRegion = new Map<string, Village[]>();
      for (const length of [6, 9]) {
        const group = codes.filter((c) => c.length === length);
        if (group.length === 0) continue;
        const column = COLUMN[length];
        const rows = await findIn(em, Village, column, group, {
          where: { kind: VillageKind.RURAL_VILLAGE },
          orderBy: 'code',
        });
        for (const v of rows) byRegion.set(v[column], [...(byRegion.get(v[column]) ?? []), v]);
      }
      return codes.map((c) => byRegion.get(c) ?? []);
    }),
  };
}

const INPUT_KEYS = [
  'cultureIndexInput',
  'healthcareIndexInput',
  'commerceIndexInput',
  'children',
  'indexVillages',
];

/**
 * The required views arrive in `_entities` representations; `__resolveReference` keeps them
 * here (per request) for the index fields, so the entities themselves stay untouched.
 */
export class IndexReferences {
  private readonly refs = new Map<string, IndexReference>();

  keep(typename: 'Region' | 'Village', ref: IndexReference | null | undefined): void {
    if (!ref || typeof ref.code !== 'string' || !INPUT_KEYS.some((k) => k in ref)) return;
    const key = `${typename}:${ref.code}`;
    this.refs.set(key, { ...this.refs.get(key), ...ref });
  }

  get(typename: 'Region' | 'Village', code: string): IndexReference | undefined {
    return this.refs.get(`${typename}:${code}`);
  }
}

/** The code a domain's components carry (they all name the village or region they score). */
export function inputsCode(inputs: IndexInputs | null | undefined): string | undefined {
  return (
    inputs?.cultureIndexInput?.code ??
    inputs?.healthcareIndexInput?.code ??
    inputs?.commerceIndexInput?.code
  );
}
