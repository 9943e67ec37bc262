/** Replaces one "## Name" section of bench/RESULTS.md, keeping every other section as it is. */
import { readFile, writeFile } from 'node:fs/promises';

export async function writeResultsSection(path: string, heading: string, section: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = '# Benchmark results\n';
  }
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  const body = section.replace(/\n+$/, '').split('\n');
  if (start === -1) {
    text = `${text.replace(/\n*$/, '\n')}\n${body.join('\n')}\n`;
  } else {
    let end = lines.findIndex((line, index) => index > start && /^## /.test(line));
    if (end === -1) end = lines.length;
    const after = end < lines.length ? ['', ...lines.slice(end)] : [''];
    text = [...lines.slice(0, start), ...body, ...after].join('\n');
  }
  await writeFile(path, text);
}
