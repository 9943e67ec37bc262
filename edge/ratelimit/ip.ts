/**
 * Client addresses as rate-limit buckets: every textual form of one address is one bucket, and an IPv6
 * client is grouped by its prefix (one subscriber usually holds a whole /64, so per-address buckets
 * would give it 2^64 budgets).
 *
 * Accepted forms: dotted IPv4 (leading zeros read as decimal: "010.001.002.003" is 10.1.2.3); IPv6 in
 * any case, compressed or expanded, with leading zeros, with an embedded IPv4 tail, in [brackets], with
 * a zone id (`fe80::1%eth0`, stripped). IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:0102:0304`) is the
 * IPv4 address. Anything else is not an address (undefined).
 */

export type ParsedAddress = { family: 4; octets: number[] } | { family: 6; hextets: number[] };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

function parseIpv4(text: string): number[] | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** Hextets of one side of '::' (may be empty); `allowIpv4Tail` for the last side. */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (HEXTET.test(part)) out.push(parseInt(part, 16));
    else return undefined;
  }
  return out;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  if (halves.length === 1) {
    const groups = parseGroups(text, true);
    return groups && groups.length === 8 ? groups : undefined;
  }
  const head = parseGroups(halves[0]!, false);
  const tail = parseGroups(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

export function parseAddress(raw: string): ParsedAddress | undefined {
  let text = raw.trim().toLowerCase();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text.length === 0 || text.length > 64) return undefined;
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, octets: v4 };
  if (!text.includes(':')) return undefined;
  const hextets = parseIpv6(text);
  if (!hextets) return undefined;
  const mapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (mapped) return { family: 4, octets: [hextets[6]! >> 8, hextets[6]! & 255, hextets[7]! >> 8, hextets[7]! & 255] };
  return { family: 6, hextets };
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as '::', the first on a tie. */
function formatIpv6(hextets: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function formatAddress(address: ParsedAddress): string {
  return address.family === 4 ? address.octets.join('.') : formatIpv6(address.hextets);
}

/** The canonical text of an address (IPv4 dotted, IPv6 per RFC 5952), or undefined for a non-address. */
export function normalizeAddress(raw: string): string | undefined {
  const parsed = parseAddress(raw);
  return parsed ? formatAddress(parsed) : undefined;
}

/** The bits after the first `prefixBits` set to zero. */
function maskHextets(hextets: readonly number[], prefixBits: number): number[] {
  return hextets.map((h, i) => {
    const keep = Math.min(16, Math.max(0, prefixBits - i * 16));
    return keep === 0 ? 0 : h & ((0xffff << (16 - keep)) & 0xffff);
  });
}

/**
 * The rate-limit group of an address: an IPv4 address is itself ("1.2.3.4"); an IPv6 address is its
 * first `ipv6PrefixBits` bits, as "2001:db8:1:2::/64" (with 128, the address itself with "/128").
 */
export function addressGroup(raw: string, ipv6PrefixBits: number): string | undefined {
  const parsed = parseAddress(raw);
  if (!parsed) return undefined;
  if (parsed.family === 4) return formatAddress(parsed);
  return `${formatIpv6(maskHextets(parsed.hextets, ipv6PrefixBits))}/${ipv6PrefixBits}`;
}
