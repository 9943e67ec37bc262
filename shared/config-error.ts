/**
 * A configuration that cannot start. Both apps throw it with one line per bad variable ("NAME: message",
 * see formatZodIssues), so every problem is reported at once and reads the same on either side:
 *
 *   invalid edge configuration:
 *     - ORIGIN_URLS: expected comma-separated http(s) URLs, got "not a url"
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** Whose configuration: 'edge', 'inference', 'limit'. */
    readonly subject: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${subject} configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
