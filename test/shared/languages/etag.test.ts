import { describe, expect, it } from 'vitest';
import { BodyMemo } from '../../../shared/languages/etag.js';
import { fnv1a64, ifNoneMatchMatches, strongEtag } from '../../../shared/languages/index.js';

describe('ETags', () => {
  it('hashes with 64-bit FNV-1a over UTF-8 (published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
    expect(fnv1a64('é')).not.toBe(fnv1a64('e'));
    expect(strongEtag('{"a":1}')).toMatch(/^"[0-9a-f]{16}-7"$/);
  });

  it('evaluates If-None-Match with weak comparison, lists and *', () => {
    const etag = '"abc-1"';
    expect(ifNoneMatchMatches(undefined, etag)).toBe(false);
    expect(ifNoneMatchMatches('', etag)).toBe(false);
    expect(ifNoneMatchMatches('"abc-1"', etag)).toBe(true);
    expect(ifNoneMatchMatches('W/"abc-1"', etag)).toBe(true);
    expect(ifNoneMatchMatches('"x", W/"y" ,"abc-1"', etag)).toBe(true);
    expect(ifNoneMatchMatches('*', etag)).toBe(true);
    expect(ifNoneMatchMatches('"abc-2"', etag)).toBe(false);
    expect(ifNoneMatchMatches('abc-1', etag)).toBe(false);
  });

  it('memoises bodies once per key, within its bound', () => {
    const memo = new BodyMemo(2);
    let builds = 0;
    const build = () => ({ n: ++builds });
    const first = memo.get('a', build);
    expect(memo.get('a', build)).toBe(first);
    expect(builds).toBe(1);
    memo.get('b', build);
    memo.get('c', build);
    expect(memo.size).toBe(2);
    expect(memo.get('a', build)).not.toBe(first); // evicted, rebuilt
  });
});
