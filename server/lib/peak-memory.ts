import { readFileSync } from 'node:fs';

/**
 * This process's peak resident size, in MB. On Linux from /proc/self/status (VmHWM): getrusage's
 * maxRSS, which Node's `process.resourceUsage()` reads, survives exec, so a script started by a
 * big process (a test worker, npm) reported its parent's size instead of its own (CI saw an
 * import "peak" of 341 MB that was the test runner's). maxRSS elsewhere.
 */
export function peakMemoryMb(status = readStatus()): number {
  const kb = status ? /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] : undefined;
  return Math.round((kb ? Number(kb) : process.resourceUsage().maxRSS) / 1024);
}

function readStatus(): string | null {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return null;
  }
}
