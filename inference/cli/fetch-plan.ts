import { formatBytes } from '../modelstore/progress.js';

/**
 * What models:fetch is about to download, printed before the first byte moves: one line per file with
 * its size (from the Hub's HEAD metadata), largest first, and the total, so a deployer sees the real
 * download size (the int8 trio alone is about 1.34 GB) before committing to it.
 */
export function downloadPlan(files: readonly { path: string; size: number }[]): string {
  const sorted = [...files].sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
  const width = Math.max(...sorted.map((file) => formatBytes(file.size).length), 0);
  const lines = sorted.map((file) => `  ${formatBytes(file.size).padStart(width)}  ${file.path}`);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  return `${lines.join('\n')}\n  ${'-'.repeat(width)}\n  ${formatBytes(total).padStart(width)}  total (${files.length} files)\n`;
}
