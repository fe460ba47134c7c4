import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CountedConnection } from '../../shared/pagination.js';
import {
  Dialect,
  DigitalResource,
  ResourceFormat,
  ResourceKind,
  ResourceLanguage,
  ResourceTopic,
} from './digital-resource.entity.js';

@InputType({ description: 'Filters for the digital resource catalogue; all given must match.' })
export class DigitalResourceFilter {
  @Field(() => ResourceKind, { nullable: true, description: 'Only this kind of resource.' })
  kind?: ResourceKind | null;

  @Field(() => ResourceTopic, { nullable: true, description: 'Only this topic.' })
  topic?: ResourceTopic | null;

  @Field(() => Dialect, { nullable: true, description: 'Only lessons in this dialect.' })
  dialect?: Dialect | null;

  @Field(() => ResourceLanguage, {
    nullable: true,
    description: 'Only resources in this language.',
  })
  language?: ResourceLanguage | null;

  @Field(() => ResourceFormat, { nullable: true, description: 'Only this media format.' })
  format?: ResourceFormat | null;

  @Field(() => String, { nullable: true, description: 'Substring of the title (at most 50).' })
  titleContains?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only resources offered by this auditorium.' })
  auditoriumId?: string | null;
}

@ObjectType({ description: 'A page of digital resources, ordered by id.' })
export class DigitalResourceConnection extends CountedConnection(
  'DigitalResource',
  DigitalResource,
  'Number of resources matching the filter.',
) {}
