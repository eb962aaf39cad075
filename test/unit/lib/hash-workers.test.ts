import { randomBytes, scryptSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { scryptLow } from '../../../server/lib/hash-workers';
import { hashPassword, verifyPassword } from '../../../server/lib/passwords';

/** The nice value of each of this process's threads (Linux keeps one per thread). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('scrypt in low-priority threads', () => {
  it('derives the same key as Node’s scrypt, several at once, in threads at nice 10 while the event loop keeps its own', async () => {
    const options = { N: 2 ** 12, r: 8, p: 1 };
    const jobs = Array.from({ length: 4 }, (_, i) => ({ password: `pässword ${i}`, salt: randomBytes(16) }));
    const keys = await Promise.all(jobs.map((job) => scryptLow(job.password, job.salt, 32, options)));
    jobs.forEach((job, i) =>
      expect(keys[i].equals(scryptSync(job.password, job.salt, 32, options))).toBe(true),
    );
    expect(threadNices()).toContain(10);
    expect(getPriority()).toBe(0);
  });

  it('makes hashes that verify, and refuses the wrong password', async () => {
    const stored = await hashPassword('correct horse battery staple', 12);
    expect(await verifyPassword('correct horse battery staple', stored, 12)).toEqual({
      ok: true,
      rehash: false,
    });
    expect(await verifyPassword('wrong horse', stored, 12)).toEqual({ ok: false, rehash: false });
  });
});
