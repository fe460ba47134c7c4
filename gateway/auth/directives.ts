import { Kind, parse, type ConstDirectiveNode } from 'graphql';
import type { Identity } from '../context.js';

/** Requirements of one type or field: all listed scope sets must be satisfied (each OR of ANDs). */
export interface Requirement {
  authenticated: boolean;
  scopes: string[][][];
}

/**
 * `@authenticated` and `@requiresScopes` as the composed supergraph carries them, read
 * generically from whatever supergraph is loaded (the names follow the supergraph's @link
 * imports, so a renamed directive still counts).
 */
export class AuthDirectives {
  readonly types = new Map<string, Requirement>();
  readonly fields = new Map<string, Requirement>();

  static fromSupergraph(sdl: string): AuthDirectives {
    const out = new AuthDirectives();
    const doc = parse(sdl);
    let authenticated = 'authenticated';
    let requiresScopes = 'requiresScopes';
    for (const def of doc.definitions) {
      if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
      for (const d of def.directives ?? []) {
        const arg = (n: string) => d.arguments?.find((a) => a.name.value === n)?.value;
        const url = arg('url');
        const as = arg('as');
        if (url?.kind !== Kind.STRING) continue;
        const alias = as?.kind === Kind.STRING ? as.value : undefined;
        if (/\/authenticated\/v/.test(url.value)) authenticated = alias ?? authenticated;
        if (/\/requiresScopes\/v/.test(url.value)) requiresScopes = alias ?? requiresScopes;
      }
    }
    const read = (directives: readonly ConstDirectiveNode[] | undefined) => {
      const req: Requirement = { authenticated: false, scopes: [] };
      for (const d of directives ?? []) {
        if (d.name.value === authenticated) req.authenticated = true;
        if (d.name.value === requiresScopes) {
          const v = d.arguments?.find((a) => a.name.value === 'scopes')?.value;
          if (v?.kind !== Kind.LIST) continue;
          req.scopes.push(
            v.values.map((and) =>
              and.kind === Kind.LIST
                ? and.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : []))
                : [],
            ),
          );
        }
      }
      return req.authenticated || req.scopes.length ? req : undefined;
    };
    const merge = (map: Map<string, Requirement>, key: string, r: Requirement | undefined) => {
      if (!r) return;
      const prev = map.get(key);
      map.set(key, {
        authenticated: r.authenticated || (prev?.authenticated ?? false),
        scopes: [...(prev?.scopes ?? []), ...r.scopes],
      });
    };
    for (const def of doc.definitions) {
      if (!('name' in def) || !def.name || !('directives' in def)) continue;
      if (def.kind === Kind.DIRECTIVE_DEFINITION) continue;
      const typeName = def.name.value;
      merge(out.types, typeName, read(def.directives as readonly ConstDirectiveNode[]));
      if ('fields' in def && def.fields) {
        for (const f of def.fields) {
          merge(out.fields, `${typeName}.${f.name.value}`, read(f.directives));
        }
      }
    }
    return out;
  }

  get empty(): boolean {
    return this.types.size === 0 && this.fields.size === 0;
  }

  /** Undefined when allowed, else the reason. */
  check(req: Requirement | undefined, who: Identity): 'unauthenticated' | string[] | undefined {
    if (!req) return undefined;
    if ((req.authenticated || req.scopes.length) && !who.authenticated) return 'unauthenticated';
    for (const anyOf of req.scopes) {
      if (!anyOf.some((all) => all.every((s) => who.scopes.includes(s)))) {
        return anyOf.map((all) => all.join(' + '));
      }
    }
    return undefined;
  }
}
