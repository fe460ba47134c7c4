import {
  Kind,
  parse,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
  type TypeDefinitionNode,
} from 'graphql';

/**
 * Reads the supergraph so workloads can use what exists at run time (e.g. region rollups that
 * the domain subgraphs add to `Region`) without editing the workload file.
 */
const HIDDEN = new Set(['inaccessible', 'authenticated', 'requiresScopes', 'policy']);
const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

function namedType(t: TypeNode): { name: string; list: boolean } {
  let list = false;
  let cur = t;
  while (cur.kind !== Kind.NAMED_TYPE) {
    if (cur.kind === Kind.LIST_TYPE) list = true;
    cur = cur.type;
  }
  return { name: cur.name.value, list };
}

export class SupergraphInfo {
  private readonly types = new Map<string, TypeDefinitionNode>();
  private readonly objectFields = new Map<string, FieldDefinitionNode[]>();

  constructor(sdl: string) {
    const doc: DocumentNode = parse(sdl);
    for (const def of doc.definitions) {
      if (def.kind.endsWith('TypeDefinition') && 'name' in def && def.name)
        this.types.set(def.name.value, def as TypeDefinitionNode);
      // Object types and their extensions both contribute fields.
      if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) {
        const known = this.objectFields.get(def.name.value) ?? [];
        this.objectFields.set(def.name.value, [...known, ...(def.fields ?? [])]);
      }
    }
  }

  /** Client-visible fields of an object type (not hidden by @inaccessible or auth). */
  fields(typeName: string): FieldDefinitionNode[] {
    return (this.objectFields.get(typeName) ?? []).filter(
      (f) => !(f.directives ?? []).some((d) => HIDDEN.has(d.name.value)),
    );
  }

  hasField(typeName: string, field: string): boolean {
    return this.fields(typeName).some((f) => f.name.value === field);
  }

  private isLeaf(name: string): boolean {
    if (BUILT_IN_SCALARS.has(name)) return true;
    const kind = this.types.get(name)?.kind;
    return kind === Kind.SCALAR_TYPE_DEFINITION || kind === Kind.ENUM_TYPE_DEFINITION;
  }

  /**
   * A selection of every leaf field of a type, descending into single (non-list) objects up to
   * `depth` levels. Fields with required arguments and lists of objects are left out, so the
   * selection stays bounded.
   */
  leafSelection(typeName: string, depth = 2): string {
    const parts: string[] = [];
    for (const f of this.fields(typeName)) {
      if ((f.arguments ?? []).some((a) => a.type.kind === Kind.NON_NULL_TYPE && !a.defaultValue))
        continue;
      const { name, list } = namedType(f.type);
      if (this.isLeaf(name)) parts.push(f.name.value);
      else if (!list && depth > 1) {
        const inner = this.leafSelection(name, depth - 1);
        if (inner) parts.push(`${f.name.value} { ${inner} }`);
      }
    }
    return parts.join(' ');
  }

  /**
   * The region rollups the domain subgraphs contribute (Region.culture / healthcare /
   * commerce), as a selection; empty when none exists yet.
   */
  regionRollupSelection(): string {
    const parts: string[] = [];
    for (const field of ['culture', 'healthcare', 'commerce']) {
      const def = this.fields('Region').find((f) => f.name.value === field);
      if (!def) continue;
      const { name } = namedType(def.type);
      const inner = this.isLeaf(name) ? '' : this.leafSelection(name);
      parts.push(inner ? `${field} { ${inner} }` : field);
    }
    return parts.join(' ');
  }
}
