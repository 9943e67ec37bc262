import { z } from 'zod';
import type { EnvVarSpec } from './env-var.js';

/** The shortest shared secret (or operator token) either app accepts. */
export const SECRET_MIN_LENGTH = 16;

/**
 * The one rule for EDGE_SHARED_SECRET (and the container's operator tokens): at least 16 printable
 * ASCII characters without spaces. A short secret can be guessed by anyone who finds the container's
 * public URL, so both the edge and the container refuse one at start-up; the value is never echoed.
 */
export const SECRET_VAR: EnvVarSpec<string> = {
  schema: z.string().min(SECRET_MIN_LENGTH).regex(/^[\x21-\x7e]+$/),
  expected: `at least ${SECRET_MIN_LENGTH} printable ASCII characters without spaces`,
  secret: true,
};
