import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logRequest, requestLogLine } from '../../../inference/observability/index.js';

const TEXT = 'Habari ya asubuhi, rafiki yangu mpendwa';

function capture(logText: boolean) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'info', logText, destination });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const fields = {
  request_id: 'req-1',
  method: 'POST',
  endpoint: '/api/v1/translate',
  status: 200,
  source_language: 'swh_Latn',
  target_language: 'eng_Latn',
  character_count: 39,
  inference_ms: 12.3456,
  total_ms: 14.9,
  text: TEXT,
};

describe('request log line', () => {
  it('is one JSON line with the request fields and never the text by default', () => {
    const { logger, lines, parsed } = capture(false);
    logRequest(logger, fields, false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('Habari');
    expect(parsed()[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      request_id: 'req-1',
      method: 'POST',
      endpoint: '/api/v1/translate',
      status: 200,
      source_language: 'swh_Latn',
      target_language: 'eng_Latn',
      character_count: 39,
      inference_ms: 12.35,
      total_ms: 14.9,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('includes the text with LOG_TEXT=true', () => {
    const { logger, parsed } = capture(true);
    logRequest(logger, fields, true);
    expect(parsed()[0]).toMatchObject({ text: TEXT });
  });

  it('redacts text fields that reach the logger any other way', () => {
    const { logger, lines } = capture(false);
    logger.info({ text: TEXT, body: { text: TEXT, q: TEXT }, result: { items: { translated_text: TEXT } } }, 'oops');
    expect(lines[0]).not.toContain('Habari');
    expect(lines[0]).toContain('[redacted]');
  });

  it('logs 5xx at warn and leaves out undefined fields', () => {
    const { logger, parsed } = capture(false);
    logRequest(logger, { request_id: 'r', method: 'GET', endpoint: '/status', status: 503, total_ms: 1, error_code: 'MODEL_UNAVAILABLE' }, false);
    const line = parsed()[0]!;
    expect(line.level).toBe('warn');
    expect(line).not.toHaveProperty('source_language');
    expect(requestLogLine({ ...fields }, false)).not.toHaveProperty('text');
  });
});
