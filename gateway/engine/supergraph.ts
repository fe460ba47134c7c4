import type { SupergraphSdlHook } from '@apollo/gateway';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'pino';

/** Subgraph names and URLs as recorded in the supergraph's join__Graph enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  for (const m of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    out.push({ name: m[1], url: m[2] });
  }
  return out;
}

/**
 * @apollo/gateway refuses supergraphs whose `for: SECURITY` features it does not enforce itself,
 * which includes @authenticated and @requiresScopes. This gateway enforces those two (authz.ts),
 * so their links are handed over as plain features; any other security feature (e.g. @policy)
 * still makes the supergraph fail to load rather than go unenforced.
 */
export function asEnforcedSupergraph(sdl: string): string {
  return sdl.replace(
    /(@link\(\s*url:\s*"https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[\d.]+"[^)]*?),\s*for:\s*SECURITY/g,
    '$1',
  );
}

/**
 * The supergraph from a file, reloaded when the file changes. Polling (`watchFile`) survives the
 * rename that atomic writers and deploy tools do. A new file that does not build is refused by
 * the gateway's `update`; the previous schema keeps serving and the reason is logged.
 */
export function supergraphFromFile(
  path: string,
  watch: boolean,
  logger: Logger,
  intervalMs = 500,
): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readFileSync(path, 'utf8');
    if (watch) {
      watchFile(path, { interval: intervalMs }, () => {
        let next: string;
        try {
          next = readFileSync(path, 'utf8');
        } catch (err) {
          logger.error({ err, path }, 'supergraph file unreadable; keeping the current schema');
          return;
        }
        if (next === current) return;
        try {
          update(asEnforcedSupergraph(next));
          current = next;
          logger.info({ path }, 'supergraph reloaded');
        } catch (err) {
          logger.error({ err, path }, 'new supergraph rejected; keeping the current schema');
        }
      });
    }
    return {
      supergraphSdl: asEnforcedSupergraph(current),
      cleanup: async () => {
        if (watch) unwatchFile(path);
      },
    };
  };
}
