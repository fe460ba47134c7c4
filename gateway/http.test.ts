import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBody } from './http.js';

const BODY = JSON.stringify({ data: { villages: Array.from({ length: 200 }, (_, i) => i) } });

describe('encodeBody', () => {
  it.each([
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'gzip'],
    ['br, gzip', 'gzip'],
    ['br;q=1, gzip;q=0.5', 'br'],
    // The explicit refusal of gzip wins over the wildcard that would otherwise take it.
    ['gzip;q=0, *', 'br'],
    ['gzip;q=0, br;q=0, *', undefined],
    ['*', 'gzip'],
    ['identity', undefined],
    ['GZIP', 'gzip'],
  ])('answers Accept-Encoding %j with %s', (header, expected) => {
    const out = encodeBody(BODY, header, 16);
    expect(out.encoding).toBe(expected);
    const back =
      out.encoding === 'gzip'
        ? gunzipSync(out.body).toString()
        : out.encoding === 'br'
          ? brotliDecompressSync(out.body).toString()
          : out.body;
    expect(back).toBe(BODY);
  });

  it('sends a body shorter than the threshold as it is', () => {
    expect(encodeBody('{"data":{}}', 'gzip', 1024)).toEqual({ body: '{"data":{}}' });
  });
});
