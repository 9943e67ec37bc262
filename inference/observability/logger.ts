import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config.js';

export interface LoggerOptions {
  level: LogLevel;
  /** LOG_TEXT=true: keep user text in logs (debugging only; texts may be personal data). */
  logText: boolean;
  /** Where lines go (default stdout); tests pass a stream to capture them. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. { service: 'inference' }. */
  base?: Record<string, unknown>;
}

/**
 * Fields that may hold user text. Redacted by default, so a stray `logger.info({ body })` cannot leak
 * a translation request into the logs (wildcards cover objects nested one or two levels down).
 */
export const TEXT_FIELDS = ['text', 'q', 'translated_text', 'translatedText', 'source_text', 'texts'] as const;
const REDACT_PATHS = TEXT_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/** JSON lines on stdout (pino's synchronous default, so nothing is lost on exit), ISO times, level names. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: options.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.logText ? {} : { redact: { paths: REDACT_PATHS, censor: '[redacted]' } }),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export interface RequestLogFields {
  request_id: string;
  method: string;
  /** The route pattern, not the raw URL (which may carry text in its query string). */
  endpoint: string;
  status: number;
  source_language?: string | null | undefined;
  target_language?: string | null | undefined;
  detected_language?: string | null | undefined;
  character_count?: number | undefined;
  inference_ms?: number | undefined;
  total_ms: number;
  error_code?: string | undefined;
  /** Only written with LOG_TEXT=true. */
  text?: string | readonly string[] | undefined;
}

/** The one log line of a request; the text is dropped unless `logText`. Undefined fields are left out. */
export function requestLogLine(fields: RequestLogFields, logText: boolean): Record<string, unknown> {
  const line: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (key === 'text' && !logText) continue;
    line[key] = typeof value === 'number' && key.endsWith('_ms') ? Math.round(value * 100) / 100 : value;
  }
  return line;
}

/** Writes the request line at info (warn for 5xx, so an operator's filter on warn sees failures). */
export function logRequest(logger: Logger, fields: RequestLogFields, logText: boolean): void {
  const line = requestLogLine(fields, logText);
  if (fields.status >= 500) logger.warn(line, 'request');
  else logger.info(line, 'request');
}
