import type { SnapshotEvent } from './snapshot.js';

export interface ProgressOutput {
  write(text: string): void;
  /** A terminal gets one self-updating line; logs and CI get plain lines. */
  isTTY: boolean;
  columns?: number;
}

/**
 * Renders download events: a bar with overall bytes, speed and ETA on a terminal (redrawn at most
 * 10 times a second), else one line per file event and per 10% of a large file.
 */
export function createProgressReporter(out: ProgressOutput, now: () => number = () => performance.now()) {
  let totalBytes = 0;
  let doneBytes = 0; // finished files
  let skippedBytes = 0; // already on disk (cached or resumed): not part of the speed
  let current = { path: '', downloaded: 0, size: 0 };
  let startedAt = now();
  let lastDraw = 0;
  let lastDecile = -1;

  const overall = () => doneBytes + current.downloaded;

  const draw = (force = false) => {
    const t = now();
    if (!force && t - lastDraw < 100) return;
    lastDraw = t;
    const fraction = totalBytes > 0 ? Math.min(1, overall() / totalBytes) : 0;
    const seconds = Math.max(0.001, (t - startedAt) / 1000);
    const rate = Math.max(0, overall() - skippedBytes) / seconds;
    const eta = rate > 0 ? (totalBytes - overall()) / rate : Infinity;
    const width = 24;
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '-');
    const line = `[${bar}] ${(fraction * 100).toFixed(1).padStart(5)}% ${formatBytes(overall())}/${formatBytes(totalBytes)} ` +
      `${formatBytes(rate)}/s ETA ${formatSeconds(eta)} ${current.path}`;
    out.write(`\r${line.slice(0, (out.columns ?? 120) - 1).padEnd((out.columns ?? 120) - 1)}`);
  };

  return (event: SnapshotEvent): void => {
    switch (event.type) {
      case 'resolved':
        totalBytes = event.bytes;
        startedAt = now();
        out.write(`commit ${event.commit}: ${event.files} files, ${formatBytes(event.bytes)}\n`);
        return;
      case 'start':
        current = { path: event.path, downloaded: event.resumeFrom, size: event.size };
        skippedBytes += event.resumeFrom;
        lastDecile = -1;
        if (!out.isTTY) {
          const resume = event.resumeFrom > 0 ? ` (resuming at ${formatBytes(event.resumeFrom)})` : '';
          out.write(`downloading ${event.path} ${formatBytes(event.size)}${resume}\n`);
        }
        return;
      case 'progress': {
        current.downloaded = event.downloaded;
        if (out.isTTY) return draw();
        const decile = Math.floor((event.downloaded / Math.max(1, event.size)) * 10);
        if (event.size >= 10 * 1024 * 1024 && decile > lastDecile && decile < 10) {
          lastDecile = decile;
          out.write(`  ${event.path} ${decile * 10}% (${formatBytes(event.downloaded)})\n`);
        }
        return;
      }
      case 'retry':
        out.write(`${out.isTTY ? '\n' : ''}  ${event.path}: transfer interrupted at ${formatBytes(event.downloaded)} (${event.reason}); retry ${event.attempt}\n`);
        return;
      case 'verify':
        // hashing a large file takes seconds: say why nothing moves
        if (!out.isTTY && current.size >= 10 * 1024 * 1024) out.write(`  verifying ${event.path}\n`);
        return;
      case 'done':
        doneBytes += event.size;
        if (event.cached) skippedBytes += event.size;
        current = { path: '', downloaded: 0, size: 0 };
        if (out.isTTY) draw(true);
        else out.write(`  ${event.path} ${event.cached ? 'already in the cache' : 'verified'}\n`);
        return;
    }
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
