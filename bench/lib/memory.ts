/**
 * Process memory for the engine benchmark: /proc/self/status (VmRSS, RssAnon, RssFile, VmHWM) and a
 * sampler. Worker threads are threads of this process, so every number includes their sessions.
 */
import { readFileSync } from 'node:fs';

export interface MemorySnapshot {
  /** process.memoryUsage().rss, bytes. */
  rss: number;
  /** /proc/self/status, bytes (0 when not on Linux). */
  vmRss: number;
  rssAnon: number;
  rssFile: number;
  /** Peak resident set since the process started (VmHWM), bytes. */
  vmHwm: number;
}

function statusField(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

export function memorySnapshot(): MemorySnapshot {
  let text = '';
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux: only process.memoryUsage()
  }
  return {
    rss: process.memoryUsage().rss,
    vmRss: statusField(text, 'VmRSS'),
    rssAnon: statusField(text, 'RssAnon'),
    rssFile: statusField(text, 'RssFile'),
    vmHwm: statusField(text, 'VmHWM'),
  };
}

/**
 * Samples memory every `intervalMs` on the main thread. The main thread is idle while the engine's
 * workers run ONNX, so samples keep coming; when ONNX runs on the main thread (transformers.js, the
 * direct-session variants) samples can be sparse, and VmHWM (kernel-kept peak) is the reliable number.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | null = null;
  peak: MemorySnapshot = memorySnapshot();
  samples = 0;

  start(intervalMs = 100): this {
    this.stop();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  sample(): MemorySnapshot {
    const s = memorySnapshot();
    this.samples++;
    if (s.rss > this.peak.rss) this.peak = s;
    else this.peak = { ...this.peak, vmHwm: Math.max(this.peak.vmHwm, s.vmHwm) };
    return s;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export function gib(bytes: number): string {
  return (bytes / GIB).toFixed(2);
}
