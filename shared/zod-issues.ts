/**
 * zod issues in words, one way for every caller: request validation (VALIDATION_FAILED messages and
 * details) and configuration errors (ConfigError's "NAME: message" lines). Structural types, so issues
 * of any zod entry point (`zod`, `@hono/zod-openapi`) fit.
 */
export interface ZodIssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** An issue as client-safe details carry it: the path as strings, the message. */
export interface IssueSummary {
  path: string[];
  message: string;
}

/** Request errors report at most this many issues: enough to fix a body, bounded for a hostile one. */
export const MAX_REPORTED_ISSUES = 5;

export interface FormatOptions {
  /** Report at most this many issues (default: all). */
  max?: number;
}

/**
 * One line per issue, "path: message" (path parts joined with '.', e.g. "options.beam_size: Too big");
 * an issue about the whole value (empty path) is its message alone.
 */
export function formatZodIssues(issues: readonly ZodIssueLike[], options: FormatOptions = {}): string[] {
  return summarizeZodIssues(issues, options.max).map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
}

/** The first `max` issues as plain data (symbol and number path parts become strings). */
export function summarizeZodIssues(issues: readonly ZodIssueLike[], max = Number.POSITIVE_INFINITY): IssueSummary[] {
  return issues.slice(0, max).map((issue) => ({ path: issue.path.map(String), message: issue.message }));
}
