import { Entity, Index, PrimaryKey } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

export const ResourceKind = describedEnum('DigitalResourceKind', 'What a digital resource is.', {
  E_BOOK: 'An e-book read on the digital library terminal.',
  DIALECT_LESSON: 'An audio lesson in a local dialect.',
  TRADITIONAL_CULTURE_COURSE: 'A video course on traditional culture.',
});
export type ResourceKind = EnumValue<typeof ResourceKind>;

export const ResourceFormat = describedEnum(
  'DigitalResourceFormat',
  'Media format of a digital resource.',
  {
    TEXT: 'Text (e-book).',
    AUDIO: 'Audio recording.',
    VIDEO: 'Video recording.',
  },
);
export type ResourceFormat = EnumValue<typeof ResourceFormat>;

export const ResourceTopic = describedEnum(
  'DigitalResourceTopic',
  'Main topic of a digital resource.',
  {
    DIALECT: 'Local dialect and its usage.',
    LOCAL_HISTORY: 'History of the village, county or region.',
    FOLK_CUSTOMS: 'Folk customs and rites.',
    LOCAL_OPERA: 'Local opera (e.g. Yue opera) and folk songs.',
    HANDICRAFTS: 'Traditional handicrafts.',
    TEA_CULTURE: 'Tea growing, processing and tea culture.',
    FESTIVALS: 'Traditional festivals.',
    LITERATURE: 'Classical and modern literature.',
    AGRICULTURE: 'Farming techniques.',
    HEALTH: 'Health and everyday medicine.',
    DIGITAL_SKILLS: 'Using phones, apps and online public services.',
  },
);
export type ResourceTopic = EnumValue<typeof ResourceTopic>;

export const ResourceLanguage = describedEnum(
  'ResourceLanguage',
  'Language a digital resource is in.',
  {
    STANDARD_CHINESE: 'Standard Chinese (Mandarin).',
    WU_CHINESE: 'A Wu Chinese variety; `dialect` names which.',
    SHE: 'The She language of the She people (e.g. Jingning county 331127).',
  },
);
export type ResourceLanguage = EnumValue<typeof ResourceLanguage>;

/** Local speech taught by dialect lessons (Wu varieties of Zhejiang's cities, and She). */
export const Dialect = describedEnum('Dialect', 'A local dialect taught by dialect lessons.', {
  HANGZHOU_WU: 'Hangzhou Wu dialect.',
  NINGBO_WU: 'Ningbo Wu dialect.',
  WENZHOU_WU: 'Wenzhou Wu dialect (Oujiang).',
  JIAXING_WU: 'Jiaxing Wu dialect.',
  HUZHOU_WU: 'Huzhou Wu dialect.',
  SHAOXING_WU: 'Shaoxing Wu dialect.',
  JINHUA_WU: 'Jinhua Wu dialect (Wuzhou).',
  QUZHOU_WU: 'Quzhou Wu dialect.',
  ZHOUSHAN_WU: 'Zhoushan Wu dialect.',
  TAIZHOU_WU: 'Taizhou Wu dialect.',
  LISHUI_WU: 'Lishui Wu dialect (Chuqu).',
  SHE_JINGNING: 'She language as spoken in Jingning She autonomous county.',
});
export type Dialect = EnumValue<typeof Dialect>;

@ObjectType({
  description: 'An item of the digital resource catalogue: e-book, dialect lesson or course.',
})
@Entity({ tableName: 'digital_resource' })
export class DigitalResource {
  @column.Key('Stable identifier of the resource.', 60)
  id!: string;

  @column.Title('Title of the resource.')
  title!: string;

  @column.Enum(() => ResourceKind, 'E-book, dialect lesson or traditional-culture course.', {
    indexed: true,
  })
  kind!: ResourceKind;

  @column.Enum(() => ResourceTopic, 'Main topic.', { indexed: true })
  topic!: ResourceTopic;

  @column.Enum(() => ResourceFormat, 'Media format.')
  format!: ResourceFormat;

  @column.Enum(() => ResourceLanguage, 'Language the resource is in.')
  language!: ResourceLanguage;

  @column.Enum(() => Dialect, 'The dialect, for dialect lessons.', {
    nullable: true,
    indexed: true,
  })
  dialect?: Dialect | null;

  @column.Integer('Playing time in minutes (audio and video); null for e-books.', {
    nullable: true,
  })
  durationMinutes?: number | null;

  @column.Integer('Number of pages (e-books).', { nullable: true })
  pages?: number | null;

  @column.Provenance('Where this catalogue record comes from.')
  provenance!: Provenance;
}

/** Which auditorium offers which resource (many to many, keyed by both ids). */
@Entity({ tableName: 'auditorium_resource' })
@Index({ properties: ['resourceId', 'auditoriumId'] })
export class AuditoriumResource {
  @PrimaryKey({ type: 'string', length: 40 })
  auditoriumId!: string;

  @PrimaryKey({ type: 'string', length: 60 })
  resourceId!: string;

  /** Village of the auditorium, so a scope's rows can be found by code prefix. */
  @column.DivisionCode('village')
  villageCode!: string;
}
