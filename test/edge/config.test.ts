import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../edge/config.js';
import { DEFAULT_LIMITS } from '../../shared/limits.js';

function problems(env: Record<string, unknown>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('has defaults for everything; the limits and the rate-limit window come from shared/limits.ts', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      originUrls: ['http://127.0.0.1:7860'],
      corsOrigins: '*',
      cacheTtlSeconds: 604_800,
      originTimeoutMs: 30_000,
      circuitFailureThreshold: 3,
      circuitCooldownMs: 10_000,
      edgeSharedSecret: undefined,
      benchTrivialRoute: false,
    });
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(config.limits.RATE_LIMIT_WINDOW_SECONDS).toBe(60);
  });

  it('takes the vars, typed ones (numbers in wrangler.toml) included, and ignores blank ones', () => {
    const config = parseConfig({
      ORIGIN_URLS: 'https://a.example/, http://b.example:7860',
      CORS_ORIGINS: 'https://app.example',
      ORIGIN_TIMEOUT_MS: 4000,
      RATE_LIMIT_WINDOW_SECONDS: '10',
      EDGE_SHARED_SECRET: 's'.repeat(16),
      BENCH_TRIVIAL_ROUTE: '1',
      MODEL_ID: ' ',
      TRANSLATION_CACHE: { get: () => null }, // a binding, never a var
    });
    expect(config).toMatchObject({
      originUrls: ['https://a.example', 'http://b.example:7860'],
      corsOrigins: ['https://app.example'],
      originTimeoutMs: 4000,
      edgeSharedSecret: 's'.repeat(16),
      benchTrivialRoute: true,
      modelId: undefined, // MODEL_ID is an optional override; blank means unset
    });
    expect(config.limits.RATE_LIMIT_WINDOW_SECONDS).toBe(10);
  });

  it('names every bad variable at once, one "NAME: expected …, got …" line each, limits included', () => {
    const error = problems({ ORIGIN_URLS: 'not a url', CACHE_TTL_SECONDS: '5', ORIGIN_TIMEOUT_MS: '30s', MAX_CHARACTERS: 'lots' });
    expect(error.message).toBe(
      [
        'invalid edge configuration:',
        '  - ORIGIN_URLS: expected comma-separated http(s) URLs, got "not a url"',
        '  - CACHE_TTL_SECONDS: expected an integer >= 60, got "5"',
        '  - ORIGIN_TIMEOUT_MS: expected an integer >= 100, got "30s"',
        '  - MAX_CHARACTERS: expected an integer >= 1, got "lots"',
      ].join('\n'),
    );
    expect(error.problems).toHaveLength(4);
  });

  it('refuses a short EDGE_SHARED_SECRET at start, like the container, without echoing it', () => {
    const error = problems({ EDGE_SHARED_SECRET: 'short-secret' });
    expect(error.problems).toEqual(['EDGE_SHARED_SECRET: expected at least 16 printable ASCII characters without spaces, got a value of 12 characters']);
    expect(error.message).not.toContain('short-secret');
    expect(() => parseConfig({ EDGE_SHARED_SECRET: 'sixteen chars ok' })).toThrow(/EDGE_SHARED_SECRET/); // spaces
  });

  it('MAX_BEAMS cannot be raised above the contract bound', () => {
    expect(problems({ MAX_BEAMS: '8' }).problems).toEqual(['MAX_BEAMS: expected an integer from 1 to 4, got "8"']);
  });
});
