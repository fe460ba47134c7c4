import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

export enum ResourceKind {
  E_BOOK = 'E_BOOK',
  DIALECT_LESSON = 'DIALECT_LESSON',
  TRADITIONAL_CULTURE_COURSE = 'TRADITIONAL_CULTURE_COURSE',
}

export enum ResourceFormat {
  TEXT = 'TEXT',
  AUDIO = 'AUDIO',
  VIDEO = 'VIDEO',
}

export enum ResourceTopic {
  DIALECT = 'DIALECT',
  LOCAL_HISTORY = 'LOCAL_HISTORY',
  FOLK_CUSTOMS = 'FOLK_CUSTOMS',
  LOCAL_OPERA = 'LOCAL_OPERA',
  HANDICRAFTS = 'HANDICRAFTS',
  TEA_CULTURE = 'TEA_CULTURE',
  FESTIVALS = 'FESTIVALS',
  LITERATURE = 'LITERATURE',
  AGRICULTURE = 'AGRICULTURE',
  HEALTH = 'HEALTH',
  DIGITAL_SKILLS = 'DIGITAL_SKILLS',
}

export enum ResourceLanguage {
  STANDARD_CHINESE = 'STANDARD_CHINESE',
  WU_CHINESE = 'WU_CHINESE',
  SHE = 'SHE',
}

/** Local speech taught by dialect lessons (Wu varieties of Zhejiang's cities, and She). */
export enum Dialect {
  HANGZHOU_WU = 'HANGZHOU_WU',
  NINGBO_WU = 'NINGBO_WU',
  WENZHOU_WU = 'WENZHOU_WU',
  JIAXING_WU = 'JIAXING_WU',
  HUZHOU_WU = 'HUZHOU_WU',
  SHAOXING_WU = 'SHAOXING_WU',
  JINHUA_WU = 'JINHUA_WU',
  QUZHOU_WU = 'QUZHOU_WU',
  ZHOUSHAN_WU = 'ZHOUSHAN_WU',
  TAIZHOU_WU = 'TAIZHOU_WU',
  LISHUI_WU = 'LISHUI_WU',
  SHE_JINGNING = 'SHE_JINGNING',
}

registerEnumType(ResourceKind, {
  name: 'DigitalResourceKind',
  description: 'What a digital resource is.',
  valuesConfig: {
    E_BOOK: { description: 'An e-book read on the digital library terminal.' },
    DIALECT_LESSON: { description: 'An audio lesson in a local dialect.' },
    TRADITIONAL_CULTURE_COURSE: { description: 'A video course on traditional culture.' },
  },
});
registerEnumType(ResourceFormat, {
  name: 'DigitalResourceFormat',
  description: 'Media format of a digital resource.',
  valuesConfig: {
    TEXT: { description: 'Text (e-book).' },
    AUDIO: { description: 'Audio recording.' },
    VIDEO: { description: 'Video recording.' },
  },
});
registerEnumType(ResourceTopic, {
  name: 'DigitalResourceTopic',
  description: 'Main topic of a digital resource.',
  valuesConfig: {
    DIALECT: { description: 'Local dialect and its usage.' },
    LOCAL_HISTORY: { description: 'History of the village, county or region.' },
    FOLK_CUSTOMS: { description: 'Folk customs and rites.' },
    LOCAL_OPERA: { description: 'Local opera (e.g. Yue opera) and folk songs.' },
    HANDICRAFTS: { description: 'Traditional handicrafts.' },
    TEA_CULTURE: { description: 'Tea growing, processing and tea culture.' },
    FESTIVALS: { description: 'Traditional festivals.' },
    LITERATURE: { description: 'Classical and modern literature.' },
    AGRICULTURE: { description: 'Farming techniques.' },
    HEALTH: { description: 'Health and everyday medicine.' },
    DIGITAL_SKILLS: { description: 'Using phones, apps and online public services.' },
  },
});
registerEnumType(ResourceLanguage, {
  name: 'ResourceLanguage',
  description: 'Language a digital resource is in.',
  valuesConfig: {
    STANDARD_CHINESE: { description: 'Standard Chinese (Mandarin).' },
    WU_CHINESE: { description: 'A Wu Chinese variety; `dialect` names which.' },
    SHE: { description: 'The She language of the She people (e.g. Jingning county 331127).' },
  },
});
registerEnumType(Dialect, {
  name: 'Dialect',
  description: 'A local dialect taught by dialect lessons.',
  valuesConfig: {
    HANGZHOU_WU: { description: 'Hangzhou Wu dialect.' },
    NINGBO_WU: { description: 'Ningbo Wu dialect.' },
    WENZHOU_WU: { description: 'Wenzhou Wu dialect (Oujiang).' },
    JIAXING_WU: { description: 'Jiaxing Wu dialect.' },
    HUZHOU_WU: { description: 'Huzhou Wu dialect.' },
    SHAOXING_WU: { description: 'Shaoxing Wu dialect.' },
    JINHUA_WU: { description: 'Jinhua Wu dialect (Wuzhou).' },
    QUZHOU_WU: { description: 'Quzhou Wu dialect.' },
    ZHOUSHAN_WU: { description: 'Zhoushan Wu dialect.' },
    TAIZHOU_WU: { description: 'Taizhou Wu dialect.' },
    LISHUI_WU: { description: 'Lishui Wu dialect (Chuqu).' },
    SHE_JINGNING: { description: 'She language as spoken in Jingning She autonomous county.' },
  },
});

@ObjectType({
  description: 'An item of the digital resource catalogue: e-book, dialect lesson or course.',
})
@Entity({ tableName: 'digital_resource' })
export class DigitalResource {
  @Field(() => ID, { description: 'Stable identifier of the resource.' })
  @PrimaryKey({ type: 'string', length: 60 })
  id!: string;

  @Field(() => String, { description: 'Title of the resource.' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => ResourceKind, {
    description: 'E-book, dialect lesson or traditional-culture course.',
  })
  @Index()
  @Enum({ items: () => ResourceKind })
  kind!: ResourceKind;

  @Field(() => ResourceTopic, { description: 'Main topic.' })
  @Index()
  @Enum({ items: () => ResourceTopic })
  topic!: ResourceTopic;

  @Field(() => ResourceFormat, { description: 'Media format.' })
  @Enum({ items: () => ResourceFormat })
  format!: ResourceFormat;

  @Field(() => ResourceLanguage, { description: 'Language the resource is in.' })
  @Enum({ items: () => ResourceLanguage })
  language!: ResourceLanguage;

  @Field(() => Dialect, { nullable: true, description: 'The dialect, for dialect lessons.' })
  @Index()
  @Enum({ items: () => Dialect, nullable: true })
  dialect?: Dialect | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Playing time in minutes (audio and video); null for e-books.',
  })
  @Property({ type: 'integer', nullable: true })
  durationMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of pages (e-books).' })
  @Property({ type: 'integer', nullable: true })
  pages?: number | null;

  @Field(() => Provenance, { description: 'Where this catalogue record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
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
  @Index()
  @Property({ type: 'string', length: 12 })
  villageCode!: string;
}
