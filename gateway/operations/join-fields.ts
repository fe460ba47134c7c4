import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  type DirectiveNode,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * By type name, the fields the engines add to subgraph fetches on their own to join subgraphs:
 * entity keys (`@join__type(key:)`) and what `@requires` names (`@join__field(requires:)`),
 * nested selections under their own types.
 */
export type JoinFields = ReadonlyMap<string, ReadonlySet<string>>;

const registered = new WeakMap<GraphQLSchema, JoinFields>();

/**
 * Records the join fields of `supergraph` (the whole supergraph schema, built once by the caller)
 * for the API schema served from it (reserved-alias.ts).
 */
export function registerJoinFields(apiSchema: GraphQLSchema, supergraph: GraphQLSchema): void {
  registered.set(apiSchema, joinFieldsOf(supergraph));
}

export function joinFieldsFor(apiSchema: GraphQLSchema): JoinFields | undefined {
  return registered.get(apiSchema);
}

export function joinFieldsOf(supergraph: GraphQLSchema): JoinFields {
  const out = new Map<string, Set<string>>();
  const add = (typeName: string, set: SelectionSetNode) => {
    const type = supergraph.getType(typeName);
    const names = out.get(typeName) ?? new Set<string>();
    out.set(typeName, names);
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        add(sel.typeCondition?.name.value ?? typeName, sel.selectionSet);
        continue;
      }
      if (sel.kind !== Kind.FIELD) continue;
      names.add(sel.name.value);
      const field = isObjectType(type) ? type.getFields()[sel.name.value] : undefined;
      // Under an @inaccessible field (`cultureIndexInput { code … }`) no caller selects anything.
      const hidden = field?.astNode?.directives?.some((d) => d.name.value === 'inaccessible');
      if (sel.selectionSet && field && !hidden)
        add(getNamedType(field.type).name, sel.selectionSet);
    }
  };
  const addJoinFields = (
    typeName: string,
    def: ObjectTypeDefinitionNode | ObjectTypeExtensionNode,
  ) => {
    for (const d of def.directives ?? []) {
      const key = d.name.value === 'join__type' ? fieldSet(d, 'key') : undefined;
      if (key) add(typeName, key);
    }
    for (const f of def.fields ?? []) {
      for (const d of f.directives ?? []) {
        const requires = d.name.value === 'join__field' ? fieldSet(d, 'requires') : undefined;
        if (requires) add(typeName, requires);
      }
    }
  };
  for (const type of Object.values(supergraph.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const def of [type.astNode, ...type.extensionASTNodes])
      if (def) addJoinFields(type.name, def);
  }
  return out;
}

/** The field set a join directive's `argument` holds (`key`, `requires`), parsed. */
function fieldSet(directive: DirectiveNode, argument: string): SelectionSetNode | undefined {
  const value = directive.arguments?.find((a) => a.name.value === argument)?.value;
  if (value?.kind !== Kind.STRING) return undefined;
  try {
    return (parse(`{ ${value.value} }`).definitions[0] as { selectionSet: SelectionSetNode })
      .selectionSet;
  } catch {
    return undefined; // composition checked it; nothing to add
  }
}

const requiredOf = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/**
 * The names of the fields some `@requires` of `supergraph` names at its top (`ruralVillageCount`,
 * `children`, the index inputs: what a later fetch is computed from), and of the fields that
 * carry a `@requires` (`digitalIndex`: computed from what the gateway sent).
 */
export function requiredFieldsOf(supergraph: GraphQLSchema): ReadonlySet<string> {
  const known = requiredOf.get(supergraph);
  if (known) return known;
  const names = new Set<string>();
  for (const type of Object.values(supergraph.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      for (const d of field.astNode?.directives ?? []) {
        const requires = d.name.value === 'join__field' ? fieldSet(d, 'requires') : undefined;
        if (!requires) continue;
        names.add(field.name);
        for (const sel of requires.selections)
          if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      }
    }
  }
  requiredOf.set(supergraph, names);
  return names;
}
