/**
 * Another process's CPU time and resident set, read from /proc (Linux): for benchmarks that start the
 * container as a child and measure it from outside. Worker threads are threads of that process, so
 * their time and memory are included.
 */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux build Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far (/proc/<pid>/stat fields 14 and 15). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** VmRSS of the process in bytes (0 when /proc has no such line). */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}
