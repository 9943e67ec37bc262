import { z } from 'zod';

/**
 * One environment variable: the zod schema of its (trimmed, non-empty) string value and the expected
 * form in words, for the error message. Both apps describe their variables this way, so a bad value
 * always reads "NAME: expected <form>, got <value>".
 */
export interface EnvVarSpec<T> {
  schema: z.ZodType<T, string>;
  expected: string;
  /** Never echo the value (secrets, tokens): the message gives its length instead. */
  secret?: boolean;
}

function describeValue(raw: string, secret: boolean | undefined): string {
  if (secret) return `a value of ${raw.length} characters`;
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/** The variable as a zod schema over its raw string: one issue "expected …, got …" when it is bad. */
export function envVar<T>(spec: EnvVarSpec<T>): z.ZodType<T, string> {
  return z.string().transform((raw, ctx): T => {
    const parsed = spec.schema.safeParse(raw.trim());
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: `expected ${spec.expected}, got ${describeValue(raw, spec.secret)}` });
    return z.NEVER;
  });
}

/**
 * The set values of `names` in `env` (process.env or a Worker's env), as strings. Unset, empty and
 * blank values are left out (they mean "use the default"); numbers and booleans (wrangler.toml vars
 * may be typed) become their string form; other bindings (KV namespaces…) are never picked.
 */
export function pickEnvVars(env: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    if (text !== undefined && text.trim() !== '') picked[name] = text;
  }
  return picked;
}

/** An integer variable from `min` (to `max`). */
export function integerVar(min: number, max = Number.MAX_SAFE_INTEGER): EnvVarSpec<number> {
  return {
    schema: z.string().regex(/^-?\d+$/).transform(Number).pipe(z.number().int().min(min).max(max)),
    expected: max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
  };
}
