import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import { SYNTHETIC_AS_OF } from './model.js';

/** Provenance columns of a synthetic row. */
export const SYNTHETIC = {
  provenance_kind: ProvenanceKind.SYNTHETIC,
  provenance_source: SYNTHETIC_SOURCE,
  provenance_as_of: SYNTHETIC_AS_OF,
  provenance_note: null,
};

export type Row = Record<string, unknown>;

/** The tables the seeder writes, in the order their rows are generated. */
export type Table =
  | 'facility'
  | 'telemedicine_link'
  | 'village_access'
  | 'assistance_point'
  | 'assisted_booking_month';

/** Where generated rows go (the load's bulk writers). */
export type Emit = (table: Table, row: Row) => Promise<void> | undefined;

/** Two hospitals per county (general and TCM): the set does not depend on the seed. */
export const hospitalId = (county: string, n: 1 | 2) => `hosp-${county}-${n}`;
export const centreId = (township: string) => `thc-${township}`;
