import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipBucket } from '../../edge/ratelimit/client-key.js';
import { addressGroup, normalizeAddress, parseAddress } from '../../edge/ratelimit/ip.js';
import { NegativeCache } from '../../edge/ratelimit/negative-cache.js';

const hextets = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

/** Every textual form of one IPv6 address that clients or proxies write. */
function forms(groups: number[]): fc.Arbitrary<string> {
  const expanded = groups.map((h) => h.toString(16).padStart(4, '0')).join(':');
  const plain = groups.map((h) => h.toString(16)).join(':');
  const zeroRuns: string[] = [];
  for (let start = 0; start < 8; start++) {
    for (let end = start + 1; end <= 8; end++) {
      if (groups.slice(start, end).every((h) => h === 0)) {
        const head = groups.slice(0, start).map((h) => h.toString(16)).join(':');
        const tail = groups.slice(end).map((h) => h.toString(16)).join(':');
        zeroRuns.push(`${head}::${tail}`);
      }
    }
  }
  const v4Tail = `${groups.slice(0, 6).map((h) => h.toString(16)).join(':')}:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  return fc
    .tuple(fc.constantFrom(expanded, plain, v4Tail, ...zeroRuns), fc.boolean(), fc.boolean(), fc.constantFrom('', '%eth0', '%25', '%1'))
    .map(([text, upper, brackets, zone]) => {
      const cased = upper ? text.toUpperCase() : text;
      return brackets ? `[${cased}${zone}]` : `${cased}${zone}`;
    });
}

describe('normalizeAddress', () => {
  it.each([
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // the first of two equal zero runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not "::"
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['0:0:0:0:0:ffff:192.0.2.1', '192.0.2.1'],
    ['192.000.002.001', '192.0.2.1'],
    ['  203.0.113.7 ', '203.0.113.7'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });

  it.each(['', 'unknown', '1.2.3', '1.2.3.256', '1.2.3.4.5', '2001:db8::1::2', '2001:db8:1:2:3:4:5:6:7', '12345::1', 'g::1', ':::', '1:2:3:4:5:6:7', '::ffff:1.2.3', 'x'.repeat(80)])(
    '%s is not an address',
    (input) => {
      expect(normalizeAddress(input)).toBeUndefined();
    },
  );

  it('property: normalisation is idempotent and every form of one address normalises alike', () => {
    fc.assert(
      fc.property(
        hextets.chain((groups) => fc.tuple(fc.constant(groups), forms(groups), forms(groups))),
        ([groups, a, b]) => {
          const canonical = normalizeAddress(a);
          expect(canonical).toBeDefined();
          expect(normalizeAddress(canonical!)).toBe(canonical);
          expect(normalizeAddress(b)).toBe(canonical);
          const parsed = parseAddress(canonical!)!;
          if (parsed.family === 6) expect(parsed.hextets).toEqual(groups);
        },
      ),
    );
  });

  it('property: an IPv4-mapped address in any form is its IPv4 address', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.boolean(), (octets, hex) => {
        const v4 = octets.join('.');
        const mapped = hex ? `::ffff:${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}` : `::ffff:${v4}`;
        expect(normalizeAddress(mapped)).toBe(v4);
        expect(addressGroup(mapped, 64)).toBe(addressGroup(v4, 64));
      }),
    );
  });
});

describe('addressGroup and ipBucket', () => {
  it('groups IPv6 by the configured prefix; IPv4 is the address itself', () => {
    expect(addressGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64)).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 48)).toBe('2001:db8:1::/48');
    expect(addressGroup('2001:db8:1:2ff:aaaa::', 56)).toBe('2001:db8:1:200::/56');
    expect(addressGroup('2001:db8::1', 128)).toBe('2001:db8::1/128');
    expect(addressGroup('203.0.113.7', 64)).toBe('203.0.113.7');
    expect(ipBucket('unknown', 64)).toBe('ip:unknown');
    expect(ipBucket('2001:db8::1', 64)).toBe('ip:2001:db8::/64');
  });

  it('property: two addresses in one /64 share a bucket; addresses in different /64s do not', () => {
    fc.assert(
      fc.property(hextets, fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), (groups, otherHost, flip) => {
        const text = (g: number[]) => g.map((h) => h.toString(16)).join(':');
        const sameNet = [...groups.slice(0, 4), ...otherHost];
        fc.pre(!(groups[5] === 0xffff && groups.slice(0, 5).every((h) => h === 0))); // not IPv4-mapped
        expect(addressGroup(text(sameNet), 64)).toBe(addressGroup(text(groups), 64));
        const otherNet = [...groups];
        otherNet[flip] = otherNet[flip]! ^ 1;
        expect(addressGroup(text(otherNet), 64)).not.toBe(addressGroup(text(groups), 64));
      }),
    );
  });
});

describe('NegativeCache', () => {
  it('remembers for the TTL, then forgets', () => {
    const cache = new NegativeCache(10, 60_000);
    cache.add('a', 0);
    expect(cache.has('a', 59_999)).toBe(true);
    expect(cache.has('a', 60_000)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used first', () => {
    const cache = new NegativeCache(3, 60_000);
    for (const key of ['a', 'b', 'c']) cache.add(key, 0);
    expect(cache.has('a', 1)).toBe(true); // a is now the most recent
    cache.add('d', 2);
    expect(cache.size).toBe(3);
    expect(cache.has('b', 3)).toBe(false);
    expect(['a', 'c', 'd'].every((key) => cache.has(key, 3))).toBe(true);
  });
});
