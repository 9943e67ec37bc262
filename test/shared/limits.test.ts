import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, maxNewTokensFor, resolveLimits } from '../../shared/limits.js';

describe('limits', () => {
  it('has the documented defaults', () => {
    expect(resolveLimits({})).toMatchObject({ MAX_CHARACTERS: 5000, MAX_BATCH_ITEMS: 64, MAX_BODY_BYTES: 65536, RATE_LIMIT_PER_MINUTE: 60, MAX_BEAMS: 4 });
  });

  it('takes overrides from env strings and ignores empty ones', () => {
    expect(resolveLimits({ MAX_CHARACTERS: '100', MAX_BATCH_ITEMS: '' })).toMatchObject({ MAX_CHARACTERS: 100, MAX_BATCH_ITEMS: 64 });
  });

  it('fails fast with the variable name on a bad value', () => {
    expect(() => resolveLimits({ MAX_CHARACTERS: 'lots' })).toThrow(/MAX_CHARACTERS/);
    expect(() => resolveLimits({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => resolveLimits({ MAX_BEAMS: '8' })).toThrow(/MAX_BEAMS/);
  });

  it('bounds new tokens by the input length and the hard cap', () => {
    const limits = resolveLimits({});
    expect(maxNewTokensFor(10, limits)).toBe(DEFAULT_LIMITS.MAX_NEW_TOKENS_MIN + 20);
    expect(maxNewTokensFor(10, limits, 5)).toBe(5);
    expect(maxNewTokensFor(10, limits, 10_000)).toBe(36);
    expect(maxNewTokensFor(10_000, limits)).toBe(DEFAULT_LIMITS.MAX_NEW_TOKENS_CAP);
  });
});
