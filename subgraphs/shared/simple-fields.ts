import { getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';

/**
 * Marks every plain `@Field` property as a simple field (type-graphql's `@Field({ simple: true })`,
 * `@ObjectType({ simpleResolvers: true })`): graphql-js then reads the property itself instead of
 * calling type-graphql's per-field wrapper, which builds a resolver-data object and walks an empty
 * middleware list for every field of every object answered. The answer is the same: the wrapper
 * returns `root[name]`, and graphql-js's default resolver `root[schemaName]`, so only fields whose
 * schema name is their property name are marked. A field keeps its wrapper when anything runs
 * through it: a middleware on the field or its class (`@UseMiddleware`), `@Authorized`, global
 * middlewares or an auth checker in the options. Fields with a resolver (`@FieldResolver`, a
 * `@Field` on a method or getter) are type-graphql's field resolvers, which this does not touch;
 * a field or class that says `simple`/`simpleResolvers` itself keeps its choice.
 */
export function markSimpleFields(options: Omit<BuildSchemaOptions, 'skipCheck'>): void {
  if (options.globalMiddlewares?.length || options.authChecker) return;
  const storage = getMetadataStorage();
  // Classes with middlewares or roles of their own, or that choose for their fields themselves.
  const guarded = new Set<unknown>(storage.resolverMiddlewares.map((m) => m.target));
  for (const a of storage.authorizedResolver) guarded.add(a.target);
  for (const o of storage.objectTypes) if (o.simpleResolvers !== undefined) guarded.add(o.target);
  const key = (target: unknown, field: string) => ({ target, field });
  const withMiddleware = [...storage.middlewares, ...storage.authorizedFields].map((m) =>
    key(m.target, m.fieldName),
  );
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.name !== field.schemaName) continue;
    if (guarded.has(field.target)) continue;
    if (withMiddleware.some((m) => m.target === field.target && m.field === field.name)) continue;
    field.simple = true;
  }
}
