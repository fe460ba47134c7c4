import { registerEnumType } from 'type-graphql';

/** The values of an enum declared with `describedEnum` (`export type X = EnumValue<typeof X>`). */
export type EnumValue<E> = E[keyof E];

/**
 * A GraphQL enum whose values are their own names, each with its description, written once:
 * returns the frozen `{ NAME: 'NAME' }` object that code, MikroORM's `@Enum` and type-graphql use
 * as they would a TypeScript string enum. Declare its type beside it with `EnumValue`.
 */
export function describedEnum<const V extends Record<string, string>>(
  name: string,
  description: string,
  values: V,
): { readonly [K in keyof V & string]: K } {
  const members: Record<string, string> = {};
  const valuesConfig: Record<string, { description: string }> = {};
  for (const [value, about] of Object.entries(values)) {
    members[value] = value;
    valuesConfig[value] = { description: about };
  }
  registerEnumType(members, { name, description, valuesConfig });
  return Object.freeze(members) as { readonly [K in keyof V & string]: K };
}
