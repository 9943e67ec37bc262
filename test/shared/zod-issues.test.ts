import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formatZodIssues, summarizeZodIssues } from '../../shared/zod-issues.js';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error.issues;
};

describe('formatZodIssues', () => {
  const schema = z.object({ a: z.string(), nested: z.object({ list: z.array(z.number()) }) });

  it('is one "path: message" line per issue, nested paths joined with dots', () => {
    const lines = formatZodIssues(issuesOf(schema, { a: 1, nested: { list: [1, 'x'] } }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^a: .*expected string/);
    expect(lines[1]).toMatch(/^nested\.list\.1: .*expected number/);
  });

  it('gives an issue about the whole value as its message alone', () => {
    expect(formatZodIssues(issuesOf(schema, 'not an object'))).toEqual([expect.stringMatching(/^Invalid input: expected object/)]);
  });

  it('stops at max, and summaries turn every path part into a string', () => {
    const issues = issuesOf(z.object({ a: z.string(), b: z.string(), c: z.string() }), {});
    expect(formatZodIssues(issues, { max: 2 })).toHaveLength(2);
    expect(summarizeZodIssues([{ path: [Symbol.for('s'), 3], message: 'm' }])).toEqual([{ path: ['Symbol(s)', '3'], message: 'm' }]);
  });
});
