import type { Hook } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { AppError } from '../errors.js';
import { MAX_REPORTED_ISSUES, formatZodIssues, summarizeZodIssues } from '../zod-issues.js';

/**
 * The `defaultHook` of every OpenAPIHono of the project: a failed zod validation of a route's params,
 * query or body becomes a thrown AppError('VALIDATION_FAILED'), so the app's one error handler renders
 * it in the shared envelope (zod-openapi's own answer would be the raw zod error). Details have the
 * shape of body validation (shared/contract/validate.ts): at most MAX_REPORTED_ISSUES issues.
 */
export function validationFailedHook(result: Parameters<Hook<unknown, Env, string, void>>[0]): void {
  if (result.success) return;
  const summary = formatZodIssues(result.error.issues, { max: MAX_REPORTED_ISSUES }).join('; ');
  throw new AppError('VALIDATION_FAILED', `invalid ${result.target}: ${summary}`, {
    details: { target: result.target, issues: summarizeZodIssues(result.error.issues, MAX_REPORTED_ISSUES) },
  });
}
