import { describe, expect, it } from 'vitest';
import { clientIp } from '../../../inference/http/client-ip.js';
import { SlidingWindowLimiter } from '../../../inference/http/sliding-window.js';
import { secretsMatch } from '../../../inference/http/auth.js';

describe('clientIp', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientIp('10.0.0.9', '1.2.3.4', 0)).toBe('10.0.0.9');
  });
  it('takes the address the outermost trusted proxy saw', () => {
    expect(clientIp('10.0.0.9', 'spoofed, 1.2.3.4', 1)).toBe('1.2.3.4');
    expect(clientIp('10.0.0.9', 'spoofed, 1.2.3.4, 10.0.0.2', 2)).toBe('1.2.3.4');
    expect(clientIp('10.0.0.9', '1.2.3.4', 3)).toBe('1.2.3.4');
    expect(clientIp(undefined, undefined, 1)).toBe('unknown');
  });
});

describe('SlidingWindowLimiter', () => {
  it('allows exactly the limit in any window and slides', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.consume('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.consume('a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect(limiter.consume('b').allowed).toBe(true);
    now += 30_000;
    expect(limiter.consume('a').allowed).toBe(false);
    now += 30_001;
    const again = limiter.consume('a');
    expect(again.allowed).toBe(true);
    expect(again.remaining).toBe(2);
  });
});

describe('secretsMatch', () => {
  it('compares in constant time and handles missing or different-length values', () => {
    expect(secretsMatch('s3cret', 's3cret')).toBe(true);
    expect(secretsMatch('s3cre', 's3cret')).toBe(false);
    expect(secretsMatch(undefined, 's3cret')).toBe(false);
  });
});
