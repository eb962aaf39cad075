import { execFileSync } from 'node:child_process';
import { peakMemoryMb } from '../../../server/lib/peak-memory';
import { ROOT } from '../../setup/paths';

describe('peakMemoryMb', () => {
  it('reads the peak resident size from /proc/self/status', () => {
    expect(peakMemoryMb('Name:\tnode\nVmPeak:\t 900000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 100000 kB\n')).toBe(
      200,
    );
    expect(peakMemoryMb()).toBeGreaterThan(10);
  });

  it('is the process’s own peak, not that of the bigger process that started it', () => {
    // getrusage's maxRSS survives fork and exec: a child of this 300 MB process "peaks" at 300 MB.
    const ballast = Buffer.alloc(300 * 1024 * 1024, 1);
    const printed = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "import { peakMemoryMb } from './server/lib/peak-memory.ts'; console.log(peakMemoryMb(), Math.round(process.resourceUsage().maxRSS / 1024));",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(ballast.length).toBeGreaterThan(0);
    const [own, inherited] = printed.trim().split(' ').map(Number);
    expect(inherited).toBeGreaterThanOrEqual(300);
    expect(own).toBeLessThan(200);
  });
});
