/**
 * Manages API keys in the store the gateway is configured with (KEY_STORE, KEYS_PATH,
 * REDIS_URL):
 *
 *   npm run keys -- create --name "Acme tours" --owner acme --scopes culture:write,schema:introspect
 *                          [--rate 120] [--daily 50000] [--trusted-only]
 *   npm run keys -- list
 *   npm run keys -- revoke <id>
 *
 * `create` prints the key once; only its SHA-256 is stored.
 */
import { Redis } from 'ioredis';
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from '../config.js';
import { FileKeyStore, type KeyStore } from './keys.js';
import { RedisKeyStore } from './redis-keys.js';

const out = (line: string) => process.stdout.write(line + '\n');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadGatewayConfig();
  const redis = config.keys.store === 'redis' ? new Redis(config.redisUrl!) : undefined;
  const store: KeyStore = redis
    ? new RedisKeyStore(redis, undefined, 0)
    : new FileKeyStore(config.keys.path, 0);
  try {
    if (command === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          owner: { type: 'string' },
          scopes: { type: 'string', default: '' },
          rate: { type: 'string' },
          daily: { type: 'string' },
          'trusted-only': { type: 'boolean', default: false },
        },
      });
      if (!values.name || !values.owner) {
        process.stderr.write('create needs --name and --owner\n');
        return 2;
      }
      const count = (v: string | undefined, flag: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number >= 0`);
        return n;
      };
      const { key, record } = await store.create({
        name: values.name,
        owner: values.owner,
        scopes: values.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        rateLimitPerMinute: count(values.rate, 'rate'),
        dailyQuota: count(values.daily, 'daily'),
        trustedDocumentsOnly: values['trusted-only'] || undefined,
      });
      out(`id:     ${record.id}`);
      out(`key:    ${key}`);
      out('Store the key now: it is not shown again. Send it in the `x-api-key` header.');
      return 0;
    }
    if (command === 'list') {
      for (const r of await store.list()) {
        const quota = `rate=${r.rateLimitPerMinute ?? 'default'}/min daily=${r.dailyQuota ?? 'default'}`;
        const state = r.revokedAt ? `revoked ${r.revokedAt}` : 'active';
        out(
          [
            r.id,
            r.name,
            r.owner,
            r.scopes.join(',') || '-',
            quota,
            r.trustedDocumentsOnly ? 'trusted-only' : '',
            state,
          ]
            .filter(Boolean)
            .join('\t'),
        );
      }
      return 0;
    }
    if (command === 'revoke' && rest[0]) {
      if (await store.revoke(rest[0])) {
        out(`revoked ${rest[0]}`);
        return 0;
      }
      process.stderr.write(`no key with id ${rest[0]}\n`);
      return 1;
    }
    process.stderr.write(
      'usage: keys create --name N --owner O [--scopes a,b] [--rate N] [--daily N] [--trusted-only] | list | revoke <id>\n',
    );
    return 2;
  } finally {
    await store.close();
    redis?.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
