import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { OnlineStore } from './store.entity.js';

@Resolver(() => OnlineStore)
export class StoreResolver {
  @Query(() => OnlineStore, { nullable: true, description: 'An online store by id.' })
  onlineStore(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceContext) {
    return ctx.loaders.storeById.load(id);
  }
}

export function resolveStoreReference(ref: { id: string }, ctx: CommerceContext) {
  return ctx.loaders.storeById.load(ref.id);
}
