import {
  buildASTSchema,
  Kind,
  parse,
  parseType,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type FieldNode,
  type GraphQLSchema,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/**
 * Documents that ask one field twice on the same parent under the aliases `a` and `b` with
 * different arguments (and the variants below), and what each must answer: the alias's answer
 * alone, in its own request. A loader or cache keyed without one of the field's arguments answers
 * one alias with the other's rows.
 */
export interface AliasCase {
  /** `Type.field`, as the supergraph names it. */
  field: string;
  /** Wraps a selection on the field's parent type in the path from the query root to it. */
  parent: (inner: string) => string;
  /** A second path to another parent of the same type (`p2: …`), where there is one. */
  other?: (inner: string) => string;
  /** Two argument lists (literal GraphQL) whose answers differ. */
  args: [string, string];
  /** The field's selection, and another one for "same arguments, other sub-selection". */
  select: string;
  select2: string;
  /** Arguments with a default value given, and the same without them (e.g. `first: 20`). */
  explicit?: [string, string];
  /** Arguments the subgraph refuses (BAD_USER_INPUT): its error must land on its alias only. */
  bad?: string;
  /** The two argument lists answer alike in the seeded data (no mix-up could be seen). */
  alike?: boolean;
}

/** A document and the alone documents whose answers, merged, it must answer. */
export interface Variant {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  alone: string[];
  /**
   * The alone answers merge with a null winning over a value: an alias refused nulls its nearest
   * nullable parent, and with it the other alias under that parent.
   */
  nullWins?: boolean;
}

const call = (c: AliasCase, alias: string, args: string, select = c.select, directive = '') =>
  `${alias}: ${c.field.split('.')[1]}${args ? `(${args})` : ''}${directive} ${select}`;

/** The parent type of the case's field. */
const parentType = (c: AliasCase) => c.field.split('.')[0];

/** Every variant of a case (see the module comment). */
export function variants(c: AliasCase, schema: GraphQLSchema): Variant[] {
  const [A, B] = c.args;
  const doc = (inner: string) => `{ ${c.parent(inner)} }`;
  const aloneA = doc(call(c, 'a', A));
  const aloneB = doc(call(c, 'b', B));
  const both = doc(`${call(c, 'a', A)} ${call(c, 'b', B)}`);
  const out: Variant[] = [
    { name: 'two aliases', query: both, alone: [aloneA, aloneB] },
    {
      name: 'two aliases, the other order',
      query: doc(`${call(c, 'b', B)} ${call(c, 'a', A)}`),
      alone: [aloneA, aloneB],
    },
    {
      name: 'a fragment spread and an inline fragment',
      query:
        `{ ${c.parent(`...F ... on ${parentType(c)} { ${call(c, 'b', B)} }`)} }` +
        ` fragment F on ${parentType(c)} { ${call(c, 'a', A)} }`,
      alone: [aloneA, aloneB],
    },
    { ...withVariables(both, schema), name: 'a variable and a literal', alone: [aloneA, aloneB] },
    {
      name: 'the same arguments, other sub-selections',
      query: doc(`${call(c, 'a', A)} ${call(c, 'b', A, c.select2)}`),
      alone: [aloneA, doc(call(c, 'b', A, c.select2))],
    },
    {
      name: 'the same arguments in another order',
      query: doc(`${call(c, 'a', B)} ${call(c, 'b', reversed(B))}`),
      alone: [doc(call(c, 'a', B)), doc(call(c, 'b', B))],
    },
    {
      name: '@skip on one alias',
      query: doc(`${call(c, 'a', A)} ${call(c, 'b', B, c.select, ' @skip(if: true)')}`),
      alone: [aloneA],
    },
    {
      name: '@include(if: false) on one alias',
      query: doc(`${call(c, 'a', A, c.select, ' @include(if: false)')} ${call(c, 'b', B)}`),
      alone: [aloneB],
    },
    // One document, the condition a variable: each value of it is its own form of the document.
    ...[true, false].map((s) => ({
      name: `@skip(if: $s) on one alias, $s ${s}`,
      query: `query($s: Boolean!) ${doc(`${call(c, 'a', A)} ${call(c, 'b', B, c.select, ' @skip(if: $s)')}`)}`,
      variables: { s },
      alone: s ? [aloneA] : [aloneA, aloneB],
    })),
  ];
  if (c.parent('') !== '') {
    // One parent twice under two response keys, the field under one key in both.
    const twice = (key: string, args: string) => `${key}: ${c.parent(call(c, 'x', args))}`;
    out.push({
      name: 'the same parent under two aliases',
      query: `{ ${twice('p1', A)} ${twice('p2', B)} }`,
      alone: [`{ ${twice('p1', A)} }`, `{ ${twice('p2', B)} }`],
    });
  }
  if (c.explicit) {
    // A value left out and the same value given answer alike.
    const [given, omitted] = c.explicit;
    out.push({
      name: 'a default and the same value given',
      query: doc(`${call(c, 'a', given)} ${call(c, 'b', omitted)}`),
      alone: [doc(call(c, 'a', given)), doc(call(c, 'b', given))],
    });
  }
  out.push({
    ...withVariables(both, schema, true),
    name: 'variables left out, with the values as their defaults',
    alone: [aloneA, aloneB],
  });
  if (c.bad) {
    out.push({
      name: 'one alias refused',
      query: doc(`${call(c, 'a', A)} ${call(c, 'b', c.bad)}`),
      alone: [aloneA, doc(call(c, 'b', c.bad))],
      nullWins: true,
    });
  }
  if (c.other) {
    const other = (inner: string) => `{ ${c.other!(inner)} }`;
    out.push({
      name: 'two parents',
      query: `{ ${c.parent(call(c, 'a', A))} ${c.other(call(c, 'b', B))} }`,
      alone: [aloneA, other(call(c, 'b', B))],
    });
  }
  return out;
}

/** `args` with its arguments in reverse order (the same arguments: the same answer). */
function reversed(args: string): string {
  const field = parse(`{ f(${args}) }`).definitions[0];
  if (field.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  const f = field.selectionSet.selections[0] as FieldNode;
  return [...(f.arguments ?? [])]
    .reverse()
    .map((a) => print(a))
    .join(', ');
}

/**
 * The document with alias `a`'s arguments sent as variables (`$a_<name>`, typed as the schema
 * declares the argument) and their values in `variables` — or, `asDefaults`, as the variables'
 * default values, with no variables sent.
 */
function withVariables(query: string, schema: GraphQLSchema, asDefaults = false) {
  const typeInfo = new TypeInfo(schema);
  const definitions: VariableDefinitionNode[] = [];
  const variables: Record<string, unknown> = {};
  const aliases: (string | undefined)[] = [];
  const edited = visit(
    parse(query),
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter: (node: FieldNode) => void aliases.push(node.alias?.value),
        leave: () => void aliases.pop(),
      },
      Argument(node: ArgumentNode) {
        const arg = typeInfo.getArgument();
        if (!arg || aliases[aliases.length - 1] !== 'a') return undefined;
        const variable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: `a_${arg.name}` } };
        definitions.push({
          kind: Kind.VARIABLE_DEFINITION,
          variable,
          type: parseType(String(arg.type)),
          ...(asDefaults && { defaultValue: node.value }),
        } as VariableDefinitionNode);
        if (!asDefaults) variables[`a_${arg.name}`] = valueOf(node.value);
        return { ...node, value: variable };
      },
    }),
  );
  const [op, ...fragments] = edited.definitions;
  return {
    query: print({
      ...edited,
      definitions: [{ ...op, variableDefinitions: definitions } as never, ...fragments],
    }),
    variables,
  };
}

function valueOf(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.INT:
      return Number(node.value);
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(valueOf);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value)]));
    default:
      throw new Error('a variable inside a literal');
  }
}

/** The API schema's types, for typing variables. */
export function apiSchema(supergraphSdl: string): GraphQLSchema {
  return buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
}
