import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEV_GATEWAY_SHARED_SECRET, type GatewayIdentity } from '../../contract/identity.js';
import { requireWriter } from '../../subgraphs/shared/identity.js';
import { createSubgraphServer, type RunningServer } from '../../subgraphs/shared/server.js';

/**
 * A small real subgraph for gateway tests that need writes and access-controlled fields: it
 * runs on the shared subgraph server (so it verifies the gateway's signed identity like the
 * product's subgraphs) and keeps its notes in memory.
 */
export const NOTES_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",
  import: ["@key", "@authenticated", "@requiresScopes"])

"A note."
type Note @key(fields: "id") {
  "Identifier."
  id: ID!
  "Public text."
  text: String!
  "Who wrote it: signed-in callers only."
  author: String @authenticated
  "Moderation remark: needs notes:admin."
  remark: String @requiresScopes(scopes: [["notes:admin"]])
}

type Query {
  "Every note."
  notes: [Note!]!
  "One note by id."
  note(id: ID!): Note
  "A public greeting."
  hello: String!
}

type Mutation {
  "Adds a note."
  addNote(text: String!): Note @requiresScopes(scopes: [["notes:write"]])
}
`;

export interface NotesSubgraph {
  url: string;
  notes: { id: string; text: string; author: string }[];
  server: RunningServer;
  close: () => Promise<void>;
}

export async function startNotesSubgraph(
  gatewaySharedSecret = DEV_GATEWAY_SHARED_SECRET,
  /** Cache hint of read fields (seconds); `author` is always PRIVATE. 0: nothing cacheable. */
  cacheMaxAge = 0,
): Promise<NotesSubgraph> {
  const notes: NotesSubgraph['notes'] = [{ id: '1', text: 'first', author: 'alice' }];
  const schema = buildSubgraphSchema({
    typeDefs: parse(NOTES_SDL),
    resolvers: {
      Query: {
        notes: () => notes,
        note: (_: unknown, args: { id: string }) => notes.find((n) => n.id === args.id),
        hello: () => 'hello',
      },
      Note: {
        remark: () => 'fine',
        // Whose note it is differs per caller in a real service: a per-caller answer.
        author: (
          note: { author: string },
          _: unknown,
          __: unknown,
          info: { cacheControl: { setCacheHint: (hint: { scope: 'PRIVATE' }) => void } },
        ) => {
          info.cacheControl.setCacheHint({ scope: 'PRIVATE' });
          return note.author;
        },
        __resolveReference: (ref: { id: string }) => notes.find((n) => n.id === ref.id),
      },
      Mutation: {
        addNote: (_: unknown, args: { text: string }, ctx: { identity?: GatewayIdentity }) => {
          const writer = requireWriter(ctx, 'notes:write');
          const note = { id: String(notes.length + 1), text: args.text, author: writer.sub };
          notes.push(note);
          return note;
        },
      },
    } as never,
  });
  const http = createSubgraphServer({
    name: 'notes',
    schema,
    logger: pino({ level: 'silent' }),
    createContext: (req) => ({ requestId: req.requestId, identity: req.identity }),
    ready: async () => {},
    gatewaySharedSecret,
    cacheMaxAge,
    // `author` marks its answer PRIVATE from its resolver.
    resolversSetCacheHints: true,
  });
  const server = await http.listen(0);
  return { url: server.url, notes, server, close: () => server.close() };
}

/** Composes subgraphs into a supergraph file (in a fresh temp folder); returns its path. */
export function writeSupergraph(subgraphs: { name: string; url: string; sdl: string }[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  const path = join(mkdtempSync(join(tmpdir(), 'rdsg-supergraph-')), 'supergraph.graphql');
  writeFileSync(path, result.supergraphSdl);
  return path;
}

// A subgraph with an enum and an input type, for variable-coercion errors.
export const PAINT_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
"A colour."
enum Color { RED GREEN }
"What to look for."
input Filter { "A name." name: String "A colour." color: Color }
type Query {
  "Paints in a colour."
  paint(color: Color!): String!
  "Finds by a filter."
  find(filter: Filter!): String!
}
`;

/** The paint subgraph (PAINT_SDL), answering the colour it is asked for. */
export function startPaintSubgraph(secret: string): Promise<RunningServer> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(PAINT_SDL),
    resolvers: {
      Query: {
        paint: (_: unknown, a: { color: string }) => a.color,
        find: () => 'found',
      },
    } as never,
  });
  return createSubgraphServer({
    name: 'paint',
    schema,
    logger: pino({ level: 'silent' }),
    createContext: (req) => ({ requestId: req.requestId }),
    ready: async () => {},
    gatewaySharedSecret: secret,
  }).listen(0);
}
