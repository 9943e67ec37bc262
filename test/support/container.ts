import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../inference/config.js';
import { startContainer, type Container } from '../../inference/container.js';

/** Log lines a test container wrote, parsed. */
export interface CapturedLogs {
  lines: Record<string, unknown>[];
}

/**
 * A container on the committed tiny fixture, with an empty model cache (so it never finds or fetches a
 * real model) and logs captured in memory. `env` overrides any setting, as the process env would.
 */
export async function createTestContainer(env: Record<string, string> = {}): Promise<Container & { logs: CapturedLogs }> {
  const config = loadConfig(
    {
      HF_HOME: mkdtempSync(join(tmpdir(), 'sema-hf-')),
      REVISION_CHECK_INTERVAL_MS: '0',
      ENGINE_WORKERS: '1',
      ENGINE_INTRA_OP_THREADS: '1',
      LOG_LEVEL: 'info',
      ...env,
    },
    { persistentDir: '/nonexistent' },
  );
  const logs: CapturedLogs = { lines: [] };
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.lines.push(JSON.parse(line) as Record<string, unknown>) });
  const container = await startContainer(config, { logger });
  return Object.assign(container, { logs });
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
