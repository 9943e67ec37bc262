import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatBytes } from '../../../inference/modelstore/progress.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  let t = 0;
  const report = createProgressReporter({ write: (s) => chunks.push(s), isTTY, columns: 100 }, () => (t += 200));
  return { chunks, report };
}

const MB = 1024 * 1024;

describe('progress reporter', () => {
  it('redraws one line with bar, bytes, speed and ETA on a terminal', () => {
    const { chunks, report } = capture(true);
    report({ type: 'resolved', commit: 'c'.repeat(40), files: 1, bytes: 20 * MB });
    report({ type: 'start', path: 'onnx/encoder.onnx', size: 20 * MB, resumeFrom: 0 });
    report({ type: 'progress', path: 'onnx/encoder.onnx', downloaded: 10 * MB, size: 20 * MB });
    const line = chunks.at(-1)!;
    expect(line.startsWith('\r[')).toBe(true);
    expect(line).toMatch(/#{12}-{12}\]\s+50\.0% 10\.5 MB\/21\.0 MB .*MB\/s ETA \d+s onnx\/encoder\.onnx/);
    expect(line).not.toContain('\n');
  });

  it('writes plain lines when the output is not a terminal', () => {
    const { chunks, report } = capture(false);
    report({ type: 'start', path: 'big.onnx', size: 20 * MB, resumeFrom: 5 * MB });
    for (let d = 6; d <= 20; d++) report({ type: 'progress', path: 'big.onnx', downloaded: d * MB, size: 20 * MB });
    report({ type: 'retry', path: 'big.onnx', attempt: 1, downloaded: 7 * MB, reason: 'socket closed' });
    report({ type: 'done', path: 'big.onnx', size: 20 * MB, cached: false });
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).toBe(true);
    expect(chunks[0]).toBe('downloading big.onnx 21.0 MB (resuming at 5.2 MB)\n');
    expect(chunks.filter((c) => /big\.onnx \d+%/.test(c)).length).toBeLessThanOrEqual(10);
    expect(chunks.join('')).toMatch(/retry 1[\s\S]*big\.onnx verified/);
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(419_000_000)).toBe('419.0 MB');
  });
});
