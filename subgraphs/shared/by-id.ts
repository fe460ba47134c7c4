import { Arg, Ctx, ID, Query, type ClassType } from 'type-graphql';

/**
 * A root query for one record by its id (`auditorium(id: ID!)`), nullable: an unknown id is
 * `null`, not an error. The method is called as `(id, ctx)`, wired here once for every domain.
 */
export function ByIdQuery(type: () => ClassType, description: string): MethodDecorator {
  return (target, key, descriptor) => {
    Arg('id', () => ID)(target, key, 0);
    Ctx()(target, key, 1);
    Query(type, { nullable: true, description })(target, key, descriptor);
  };
}
