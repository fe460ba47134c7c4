import { describe, expect, it } from 'vitest';
import { addressGroup } from './proxy-trust.js';

describe('addressGroup', () => {
  it('keeps an IPv4 address, mapped or not', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
    // Other spellings of the mapped address were all the one group 0:0:0:0::/64.
    for (const a of ['::FFFF:cb00:7107', '0:0:0:0:0:ffff:203.0.113.7', '0::ffff:CB00:7107'])
      expect(addressGroup(a), a).toBe('203.0.113.7');
    expect(addressGroup('::ffff:cb00:7108')).toBe('203.0.113.8');
  });

  it('counts an IPv6 address as its /64, however it is written', () => {
    const group = '2001:db8:77:1::/64';
    for (const a of [
      '2001:db8:77:1::1',
      '2001:db8:77:1:ffff:1:2:3',
      '2001:0DB8:0077:0001:0000:0000:0000:0009',
      '2001:db8:77:1::1.2.3.4',
    ]) {
      expect(addressGroup(a), a).toBe(group);
    }
    expect(addressGroup('2001:db8:77:2::1')).toBe('2001:db8:77:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('returns what is not an address as it is', () => {
    expect(addressGroup('unknown')).toBe('unknown');
    expect(addressGroup('')).toBe('');
  });
});
