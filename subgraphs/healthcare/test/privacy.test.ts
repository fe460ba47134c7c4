import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printFederatedSdl } from '../../shared/schema.js';
import { buildHealthcareSchema } from '../schema.js';

/**
 * The privacy rule (README, "Privacy"): the API describes facilities, access measures and
 * aggregated counts, never a person. No type, field, argument, input field or enum value may be
 * named after personal data. Names are split into words (camelCase, snake_case) and checked
 * word by word, so `SPECIALIST_OUTPATIENT` (a department) passes while `patientName` fails.
 */
const PERSONAL_WORDS = new Set([
  'patient',
  'patients',
  'person',
  'persons',
  'personal',
  'people',
  'individual',
  'resident',
  'citizen',
  'user',
  'member',
  'householder',
  'household',
  'surname',
  'fullname',
  'firstname',
  'lastname',
  'idnumber',
  'idcard',
  'identity',
  'passport',
  'ssn',
  'phone',
  'mobile',
  'telephone',
  'email',
  'wechat',
  'address',
  'birth',
  'birthday',
  'birthdate',
  'dob',
  'age',
  'gender',
  'sex',
  'ethnicity',
  'nationality',
  'diagnosis',
  'diagnoses',
  'symptom',
  'prescription',
  'medication',
  'allergy',
  'record',
  'records',
  'insured',
  'contact',
]);

/** `doctorsPer1000Residents` → doctors, per, 1000, residents. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

function namesOf(schema: GraphQLSchema): string[] {
  const names: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    names.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        names.push(
          `${type.name}.${f.name}`,
          ...f.args.map((a) => `${type.name}.${f.name}(${a.name})`),
        );
      }
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) names.push(`${type.name}.${f.name}`);
    } else if (isEnumType(type)) {
      for (const v of type.getValues()) names.push(`${type.name}.${v.name}`);
    }
  }
  return names;
}

function offending(names: string[]): string[] {
  return names.filter((n) =>
    n.split(/[.()]/).some((part) => words(part).some((w) => PERSONAL_WORDS.has(w))),
  );
}

describe('privacy rule', () => {
  it('splits names into words', () => {
    expect(words('doctorsPer1000Residents')).toEqual(['doctors', 'per1000', 'residents']);
    expect(
      offending(['Visit.patientName', 'X.SPECIALIST_OUTPATIENT', 'Resident.idNumber']),
    ).toEqual(['Visit.patientName', 'Resident.idNumber']);
  });

  it('the healthcare subgraph names no personal data', async () => {
    // Through printed SDL: the schema object belongs to the CommonJS copy of graphql.
    const sdl = printFederatedSdl(await buildHealthcareSchema());
    const names = namesOf(buildASTSchema(parse(sdl), { assumeValidSDL: true }));
    expect(names).toContain('AssistedBookingMonth.doctorAppointments');
    expect(offending(names)).toEqual([]);
  });

  it('the composed supergraph names no personal data in healthcare types', () => {
    const sdl = readFileSync('schema/supergraph.graphql', 'utf8');
    const schema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
    const ours = readFileSync('schema/healthcare.graphql', 'utf8');
    const healthcareTypes = new Set(
      [...ours.matchAll(/^(?:type|input|enum) (\w+)/gm)].map((m) => m[1]),
    );
    // Root types are shared by every subgraph: of those, only healthcare's own fields count.
    const ownRootFields = new Set(
      namesOf(
        buildASTSchema(parse(ours.replace(/^extend schema[\s\S]*?\n\n/m, '')), {
          assumeValidSDL: true,
        }),
      ).filter((n) => /^(Query|Mutation)\./.test(n)),
    );
    const names = namesOf(schema).filter((n) => {
      const type = n.split('.')[0];
      if (type === 'Query' || type === 'Mutation')
        return ownRootFields.has(n.split('(')[0]) || ownRootFields.has(n);
      return healthcareTypes.has(type);
    });
    expect(names.length).toBeGreaterThan(100);
    expect(offending(names)).toEqual([]);
  });
});
