/**
 * Load on one URL at 10 connections, as the issues measured it: wrk (C, one thread) when it is
 * installed (`apt-get install wrk`), which keeps up with the wire and leaves a core to the server;
 * autocannon otherwise, which is JavaScript and takes most of a core itself, so on a 2-core machine
 * it measures itself as much as the site. The tool used is in each result.
 */
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

export const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((file) => existsSync(file));
const run = promisify(execFile);

export interface Load {
  /** Milliseconds. */
  p50: number;
  p99: number;
  rps: number;
  /** Answers that were not 2xx or 3xx, and failed connections. */
  errors: number;
  tool: 'wrk' | 'autocannon';
}

function ms(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

async function wrk(url: string, seconds: number, headers: Record<string, string>): Promise<Load> {
  const args = ['-t1', '-c10', `-d${seconds}s`, '--latency', '--timeout', '30s'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const { stdout: out } = await run(WRK!, [...args, url], { encoding: 'utf8' });
  const pct = (p: string) => {
    const match = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return match ? ms(match[1], match[2]) : NaN;
  };
  const failed = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    p50: Number(pct('50').toFixed(2)),
    p99: Number(pct('99').toFixed(2)),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]),
    errors: Number(failed?.[1] ?? 0) + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
    tool: 'wrk',
  };
}

/** `seconds` of load at 10 connections (no warm-up: call it twice for one). */
export async function loadOn(
  url: string,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<Load> {
  if (WRK) return wrk(url, seconds, headers);
  const result = await autocannon({ url, connections: 10, duration: seconds, headers });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
    tool: 'autocannon',
  };
}
