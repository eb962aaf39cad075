import { scrypt, type ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * scrypt in threads of their own at a lower scheduling priority (nice 10), so that on a machine
 * whose cores are all busy serving pages, a burst of sign-ins takes what the pages leave rather than
 * an equal share: Linux keeps the nice value per thread, and libuv's pool threads cannot be given
 * one. Plain JavaScript evaluated in the thread (the same from the build and from the tests). If a
 * thread cannot be started, the hash runs on libuv's pool as before.
 */
const NICE = 10;
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try { require('node:os').setPriority(${NICE}); } catch {}
parentPort.on('message', ({ password, salt, keyLength, options }) => {
  try {
    parentPort.postMessage({ key: scryptSync(password, salt, keyLength, options) });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
});
`;

/** Idle threads, each running one hash at a time (the caller bounds how many run at once). */
const idle: Worker[] = [];
let unavailable = false;

function start(): Worker | undefined {
  if (unavailable) return undefined;
  try {
    const worker = new Worker(SOURCE, { eval: true });
    worker.unref();
    return worker;
  } catch {
    unavailable = true;
    return undefined;
  }
}

function onPool(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** scrypt(password, salt) in a low-priority thread. */
export function scryptLow(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  const worker = idle.pop() ?? start();
  if (!worker) return onPool(password, salt, keyLength, options);
  return new Promise((resolve, reject) => {
    const done = (answer: { key?: Uint8Array; error?: string }) => {
      worker.off('error', failed);
      idle.push(worker);
      if (answer.key) resolve(Buffer.from(answer.key.buffer, answer.key.byteOffset, answer.key.byteLength));
      else reject(new Error(answer.error ?? 'scrypt failed'));
    };
    const failed = (err: Error) => {
      worker.off('message', done);
      void worker.terminate();
      reject(err);
    };
    worker.once('message', done);
    worker.once('error', failed);
    worker.postMessage({ password, salt, keyLength, options });
  });
}
