import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

@ObjectType({
  description: 'Sessions in which staff helped residents use an online public service, by kind.',
})
export class AssistedSessions {
  @Field(() => SafeIntResolver, { description: 'Help booking doctor appointments online.' })
  medicalAppointment!: number;

  @Field(() => SafeIntResolver, { description: 'Help with online social-insurance services.' })
  socialInsurance!: number;

  @Field(() => SafeIntResolver, { description: 'Help with e-government services.' })
  eGovernment!: number;

  @Field(() => SafeIntResolver, { description: 'Other assisted online services.' })
  other!: number;

  @Field(() => SafeIntResolver, { description: 'All assisted sessions.' })
  total!: number;
}

export function assistedSessions(s: {
  medicalAppointment: number;
  socialInsurance: number;
  eGovernment: number;
  other: number;
}): AssistedSessions {
  return Object.assign(new AssistedSessions(), {
    ...s,
    total: s.medicalAppointment + s.socialInsurance + s.eGovernment + s.other,
  });
}

/** One auditorium's figures for one month; a new report for the same month replaces it. */
@ObjectType({ description: "An auditorium's usage in one month." })
@Entity({ tableName: 'auditorium_usage' })
@Index({ properties: ['villageCode', 'month'] })
export class AuditoriumMonthlyUsage {
  @PrimaryKey({ type: 'string', length: 40 })
  auditoriumId!: string;

  @column.Month({ field: true })
  month!: string;

  /** Village of the auditorium: rollups group by code prefix without a join. */
  @column.DivisionCode('village', { indexed: false })
  villageCode!: string;

  @column.Integer('Visits to the auditorium.')
  visits!: number;

  @column.Integer('Views or plays of digital resources.')
  resourceViews!: number;

  @Property({ type: 'integer' })
  medicalAppointmentSessions!: number;

  @Property({ type: 'integer' })
  socialInsuranceSessions!: number;

  @Property({ type: 'integer' })
  eGovernmentSessions!: number;

  @Property({ type: 'integer' })
  otherAssistedSessions!: number;

  @column.Provenance('Where these figures come from.')
  provenance!: Provenance;

  @Field(() => AssistedSessions, { description: 'Assisted online-service sessions by kind.' })
  get assistedSessions(): AssistedSessions {
    return assistedSessions({
      medicalAppointment: this.medicalAppointmentSessions,
      socialInsurance: this.socialInsuranceSessions,
      eGovernment: this.eGovernmentSessions,
      other: this.otherAssistedSessions,
    });
  }
}
