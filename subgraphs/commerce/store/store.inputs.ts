import { LocalDateScalar } from '../../shared/argument-guard.js';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Platform, ProductCategory } from './store.entity.js';

@InputType({ description: 'A new online store to register.' })
export class RegisterOnlineStoreInput {
  @Field(() => String, { description: 'Store name (1-200 characters).' })
  name!: string;

  @Field(() => ID, { description: 'Code of the village (12 digits) the store is run from.' })
  villageCode!: string;

  @Field(() => Platform, { description: 'Platform it sells on.' })
  platform!: Platform;

  @Field(() => ProductCategory, { description: 'Main product category.' })
  category!: ProductCategory;

  @Field(() => LocalDateScalar, { description: 'Date it opened; not in the future.' })
  openedOn!: string;

  @Field(() => Int, { description: 'People it employs (>= 0).' })
  jobs!: number;

  @Field(() => ID, { nullable: true, description: 'Id of the enterprise running it, if any.' })
  enterpriseId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Who reports the store (recorded as its provenance source).',
  })
  source?: string | null;
}
