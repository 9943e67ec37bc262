import { ERROR_CODES } from '../../shared/errors.js';
import { LANGUAGE_CODES } from '../../shared/languages/index.js';

/**
 * Label values must come from small, known sets: every distinct value is a time series held in memory
 * forever, so a label fed from user input (a URL, a made-up language code) is a memory leak and a DoS.
 */
export const OTHER = 'other';

const LANGUAGES: ReadonlySet<string> = new Set(LANGUAGE_CODES);
const ERRORS: ReadonlySet<string> = new Set(ERROR_CODES);

/** A FLORES-200 code, 'unknown' for no language (detection found none), else 'other'. */
export function languageLabel(code: string | null | undefined): string {
  if (code === null || code === undefined) return 'unknown';
  return LANGUAGES.has(code) ? code : OTHER;
}

/** One of the stable error codes, else 'other'. */
export function errorLabel(code: string): string {
  return ERRORS.has(code) ? code : OTHER;
}

/** An HTTP status as a label; anything outside 100-599 is 'other'. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}

/**
 * Route patterns (Hono's `c.req.routePath`, e.g. `/api/v1/languages/:code`), never raw URLs. A value
 * that is not a pattern-looking path, or one past the cap of distinct values, becomes 'other'.
 */
export class EndpointLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 64) {}

  label(endpoint: string): string {
    if (this.seen.has(endpoint)) return endpoint;
    if (!/^\/[\w/:.*{}-]{0,100}$/.test(endpoint) || this.seen.size >= this.max) return OTHER;
    this.seen.add(endpoint);
    return endpoint;
  }
}
