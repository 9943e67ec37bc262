import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../shared/limits.js';

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

});
