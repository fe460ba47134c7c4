import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../shared/pagination.js';
import { EcommercePark } from '../park/park.entity.js';
import { OnlineStore } from '../store/store.entity.js';
import { Enterprise } from './enterprise.entity.js';

@ObjectType({ description: 'A page of enterprises.' })
export class EnterpriseConnection extends Connection('Enterprise', Enterprise) {}

@ObjectType({ description: 'A page of e-commerce industrial parks.' })
export class EcommerceParkConnection extends Connection('EcommercePark', EcommercePark) {}

@ObjectType({ description: 'A page of online stores with their total.' })
export class OnlineStoreConnection extends Connection('OnlineStore', OnlineStore) {
  @Field(() => Int, { description: 'Number of stores in the whole list (all statuses).' })
  totalCount!: number;
}
