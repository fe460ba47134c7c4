import {
  Directive,
  Field,
  FieldResolver,
  ObjectType,
  Resolver,
  Root,
  type ClassType,
} from 'type-graphql';
import { Provenance, ProvenanceKind, XINHUA_2021, provenance } from './provenance.js';

/**
 * A statement a named source makes about a region that is not a number (or whose number the
 * source does not give): "the auditoriums also act as hubs of digital public services", "tea-leaf
 * processing workshops exist". Any count shown next to it is the project's and says so in its
 * own provenance. The same shape in every subgraph, so it is @shareable.
 */
@Directive('@shareable')
@ObjectType({
  description:
    'A statement reported by a named source about a region, copied as stated (no figure, or one the source does not give).',
})
export class ReportedFact {
  @Field(() => String, { description: 'Stable identifier of the statement.' })
  id!: string;

  @Field(() => String, { description: 'What the source states, in English.' })
  statement!: string;

  @Field(() => Provenance, { description: 'The source: always REPORTED.' })
  provenance!: Provenance;
}

/** A statement of the Xinhua (2021) article (see facts in the project's data documentation). */
export function xinhuaFact(
  id: string,
  statement: string,
  asOf: string,
  note?: string,
): ReportedFact {
  return Object.assign(new ReportedFact(), {
    id,
    statement,
    provenance: provenance(ProvenanceKind.REPORTED, XINHUA_2021, asOf, note ?? null),
  });
}

/**
 * The `reportedFacts` field of a domain's region view (`view`): the statements `facts` holds for
 * the region's code (`codeOf`), empty when none; `about` says what they are about in the field's
 * description. A class of the domain's own, to register in its schema.
 */
export function reportedFactsResolver<V extends object>(
  view: ClassType<V>,
  facts: Record<string, ReportedFact[]>,
  spec: { codeOf: (view: V) => string; about: string },
): ClassType {
  @Resolver(() => view)
  class ReportedFacts {
    @FieldResolver(() => [ReportedFact], {
      description: `Statements a named source reports about ${spec.about} (empty when none).`,
    })
    reportedFacts(@Root() region: V): ReportedFact[] {
      return facts[spec.codeOf(region)] ?? [];
    }
  }
  return ReportedFacts;
}
