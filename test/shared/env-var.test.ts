import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config-error.js';
import { envVar, integerVar, pickEnvVars } from '../../shared/env-var.js';
import { parseLimits, resolveLimits } from '../../shared/limits.js';
import { SECRET_VAR } from '../../shared/secret.js';
import { defaultRequestDeadlineMs } from '../../shared/origin-timeout.js';

describe('envVar: one message style for both apps', () => {
  it('"expected <form>, got <value>", the value trimmed for parsing and shortened for the message', () => {
    const port = envVar(integerVar(1, 65535));
    expect(port.parse(' 8080 ')).toBe(8080);
    const bad = port.safeParse('eighty');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.message)).toEqual(['expected an integer from 1 to 65535, got "eighty"']);
    const long = envVar({ schema: z.enum(['a']), expected: 'a' }).safeParse('x'.repeat(100));
    expect(long.error?.issues[0]?.message).toBe(`expected a, got "${'x'.repeat(40)}…"`);
  });

  it('never echoes a secret', () => {
    const result = envVar(SECRET_VAR).safeParse('hunter2');
    expect(result.error?.issues[0]?.message).toBe('expected at least 16 printable ASCII characters without spaces, got a value of 7 characters');
  });

  it('pickEnvVars keeps set values as strings and drops blank ones and bindings', () => {
    expect(pickEnvVars({ A: ' x ', B: '', C: '  ', D: 5, E: true, F: { kv: true } }, ['A', 'B', 'C', 'D', 'E', 'F', 'G'])).toEqual({ A: ' x ', D: '5', E: 'true' });
  });
});

describe('ConfigError and the shared limits', () => {
  it('lists every problem under one header', () => {
    expect(new ConfigError('edge', ['A: x', 'B: y']).message).toBe('invalid edge configuration:\n  - A: x\n  - B: y');
  });

  it('parseLimits reports every bad limit as a line; resolveLimits throws them as one ConfigError', () => {
    expect(parseLimits({ MAX_CHARACTERS: 'lots', RATE_LIMIT_WINDOW_SECONDS: '0' })).toEqual({
      ok: false,
      problems: ['MAX_CHARACTERS: expected an integer >= 1, got "lots"', 'RATE_LIMIT_WINDOW_SECONDS: expected an integer >= 1, got "0"'],
    });
    expect(() => resolveLimits({ MAX_BEAMS: '5' })).toThrow(new ConfigError('limit', ['MAX_BEAMS: expected an integer from 1 to 4, got "5"']));
    expect(resolveLimits({ RATE_LIMIT_WINDOW_SECONDS: '30' }).RATE_LIMIT_WINDOW_SECONDS).toBe(30);
  });

  it('the container deadline defaults to the origin timeout minus a margin that leaves it room', () => {
    expect(defaultRequestDeadlineMs(30_000)).toBe(25_000);
    expect(defaultRequestDeadlineMs(4_000)).toBe(3_200);
    expect(defaultRequestDeadlineMs(100)).toBe(80);
  });
});
