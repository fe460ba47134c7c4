import {
  Kind,
  buildASTSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  type DirectiveNode,
  type GraphQLCompositeType,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** `@listSize` of one field (https://specs.apollo.dev/cost/v0.1). */
export interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

/**
 * Federation's demand-control directives `@cost` and `@listSize` as the composed supergraph
 * carries them (names follow the supergraph's @link import, so a renamed directive counts).
 */
export class CostModel {
  /** `@cost` of fields, and of input fields (`VillageFilter.nameContains`), by coordinate. */
  readonly fieldWeights = new Map<string, number>();
  /** `@cost` of arguments, by coordinate (`Region.villages(kind:)`). */
  readonly argumentWeights = new Map<string, number>();
  readonly typeWeights = new Map<string, number>();
  readonly listSizes = new Map<string, ListSize>();
  /** `@requires` field sets (from `@join__field(requires:)`), by field coordinate. */
  readonly requires = new Map<string, string>();
  private supergraph: GraphQLSchema | undefined;
  private readonly requirementCosts = new Map<string, number>();
  /** Field sets being priced, and how many times one led back to another being priced. */
  private readonly pricing = new Set<string>();
  private cyclesMet = 0;
  private readonly weighedInputs = new Map<string, boolean>();

  constructor(private readonly sdl = '') {}

  /**
   * The cost of fetching what a field `@requires` — the other subgraphs' data the gateway
   * fetches for every instance of its parent before the field can run (as Apollo Router scores
   * requirements). Static: a field set has no arguments, so lists take their `assumedSize`
   * (e.g. `indexVillages`, the villages of a county) or the default list size.
   */
  requirementCost(coordinate: string, defaultListSize: number): number {
    const fieldSet = this.requires.get(coordinate);
    if (!fieldSet) return 0;
    const key = `${coordinate}\n${defaultListSize}`;
    const known = this.requirementCosts.get(key);
    if (known !== undefined) return known;
    if (this.pricing.has(key)) {
      this.cyclesMet++; // a field set that leads back here adds nothing more
      return 0;
    }
    this.supergraph ??= buildASTSchema(parse(this.sdl), { assumeValidSDL: true });
    this.pricing.add(key);
    const cyclesBefore = this.cyclesMet;
    const parent = this.supergraph.getType(coordinate.split('.')[0]);
    let cost = 0;
    if (parent && isCompositeType(parent)) {
      const walk = (set: SelectionSetNode, type: GraphQLCompositeType): number => {
        let total = 0;
        // Fields of one entity requiring the same set (the index inputs: places' children) are
        // given it by one fetch, as the planners fetch it once: priced once.
        const required = new Set<string>();
        for (const sel of set.selections) {
          if (sel.kind !== Kind.FIELD) {
            if (sel.kind === Kind.INLINE_FRAGMENT) total += walk(sel.selectionSet, type);
            continue;
          }
          const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
          const def = fields[sel.name.value];
          if (!def) continue;
          const at = `${type.name}.${def.name}`;
          const named = getNamedType(def.type);
          const own =
            this.fieldWeights.get(at) ??
            this.typeWeights.get(named.name) ??
            (isCompositeType(named) ? 1 : 0);
          const size =
            this.listSizes.get(at)?.assumedSize ??
            (isListType(getNullableType(def.type)) ? defaultListSize : 1);
          const children =
            sel.selectionSet && isCompositeType(named) ? walk(sel.selectionSet, named) : 0;
          // A required field may itself @require (cultureIndexInput: the region's children):
          // the gateway fetches that too, for each instance.
          const set = this.requires.get(at);
          const needs =
            set === undefined || required.has(set) ? 0 : this.requirementCost(at, defaultListSize);
          if (set !== undefined) required.add(set);
          total += size * (own + children + needs);
        }
        return total;
      };
      try {
        const op = parse(`{ ${fieldSet} }`).definitions[0] as OperationDefinitionNode;
        cost = walk(op.selectionSet, parent);
      } catch {
        cost = 0; // composition validated the field set; nothing to add if it cannot be read
      }
    }
    this.pricing.delete(key);
    // Kept only when no cycle was met: a price inside a cycle depends on where pricing began,
    // and kept, the order of the questions would decide it (none in today's supergraph).
    if (this.cyclesMet === cyclesBefore) this.requirementCosts.set(key, cost);
    return cost;
  }

  /** Whether a value of this input type can carry a `@cost` (a weighed field, at any depth). */
  inputWeighs(type: GraphQLInputObjectType): boolean {
    const known = this.weighedInputs.get(type.name);
    if (known !== undefined) return known;
    this.weighedInputs.set(type.name, false); // a type that holds itself adds nothing new
    const weighs = Object.values(type.getFields()).some((f) => {
      const named = getNamedType(f.type);
      return (
        this.fieldWeights.has(`${type.name}.${f.name}`) ||
        (isInputObjectType(named) && this.inputWeighs(named))
      );
    });
    this.weighedInputs.set(type.name, weighs);
    return weighs;
  }

  static fromSupergraph(sdl: string): CostModel {
    const out = new CostModel(sdl);
    const doc = parse(sdl);
    let cost = 'cost';
    let listSize = 'listSize';
    for (const def of doc.definitions) {
      if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
      for (const d of def.directives ?? []) {
        const url = d.arguments?.find((a) => a.name.value === 'url')?.value;
        if (url?.kind !== Kind.STRING || !/\/cost\/v/.test(url.value)) continue;
        const imports = d.arguments?.find((a) => a.name.value === 'import')?.value;
        for (const i of imports?.kind === Kind.LIST ? imports.values : []) {
          // `{ name: "@cost", as: "@weight" }` renames; a plain string keeps the name.
          if (i.kind !== Kind.OBJECT) continue;
          const f = (n: string) => i.fields.find((x) => x.name.value === n)?.value;
          const name = f('name');
          const as = f('as');
          if (name?.kind !== Kind.STRING || as?.kind !== Kind.STRING) continue;
          if (name.value === '@cost') cost = as.value.replace(/^@/, '');
          if (name.value === '@listSize') listSize = as.value.replace(/^@/, '');
        }
      }
    }
    const find = (directives: readonly DirectiveNode[] | undefined, name: string) =>
      directives?.find((d) => d.name.value === name);
    const arg = (d: DirectiveNode, name: string) =>
      d.arguments?.find((a) => a.name.value === name)?.value;
    const int = (v: ValueNode | undefined) =>
      v?.kind === Kind.INT || v?.kind === Kind.FLOAT || v?.kind === Kind.STRING
        ? Number(v.value)
        : undefined;
    const strings = (v: ValueNode | undefined) =>
      v?.kind === Kind.LIST
        ? v.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : []))
        : [];
    for (const def of doc.definitions) {
      if (!('name' in def) || !def.name || def.kind === Kind.DIRECTIVE_DEFINITION) continue;
      const typeName = def.name.value;
      const typeCost = find(def.directives, cost);
      const w = typeCost && int(arg(typeCost, 'weight'));
      if (w !== undefined && Number.isFinite(w)) out.typeWeights.set(typeName, w);
      if (!('fields' in def) || !def.fields) continue;
      for (const f of def.fields) {
        const coordinate = `${typeName}.${f.name.value}`;
        const fc = find(f.directives, cost);
        const fw = fc && int(arg(fc, 'weight'));
        if (fw !== undefined && Number.isFinite(fw)) out.fieldWeights.set(coordinate, fw);
        for (const a of 'arguments' in f ? (f.arguments ?? []) : []) {
          const ac = find(a.directives, cost);
          const aw = ac && int(arg(ac, 'weight'));
          if (aw !== undefined && Number.isFinite(aw)) {
            out.argumentWeights.set(`${coordinate}(${a.name.value}:)`, aw);
          }
        }
        for (const jf of f.directives?.filter((d) => d.name.value === 'join__field') ?? []) {
          const req = arg(jf, 'requires');
          if (req?.kind === Kind.STRING) out.requires.set(coordinate, req.value);
        }
        const ls = find(f.directives, listSize);
        if (ls) {
          const required = arg(ls, 'requireOneSlicingArgument');
          out.listSizes.set(coordinate, {
            assumedSize: int(arg(ls, 'assumedSize')),
            slicingArguments: strings(arg(ls, 'slicingArguments')),
            sizedFields: strings(arg(ls, 'sizedFields')),
            // The spec's default is true.
            requireOneSlicingArgument: required?.kind === Kind.BOOLEAN ? required.value : true,
          });
        }
      }
    }
    // The field sets are costed against the whole supergraph (they name @inaccessible fields):
    // built here, when a supergraph is loaded, rather than on the first request that needs it.
    if (out.requires.size > 0) {
      out.supergraph = buildASTSchema(doc, { assumeValidSDL: true });
    }
    return out;
  }
}
