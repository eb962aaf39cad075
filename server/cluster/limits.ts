import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { RateLimiter } from '../lib/rate-limiter.js';
import type { RemoteLimits, RemoteStep } from '../lib/shared-limiter.js';

interface LimitAsk {
  advice: 'limit';
  id: number;
  step: RemoteStep;
  limit: { name: string; limit: number; windowMs: number };
  key: string;
  token?: string;
}
interface LimitAnswer {
  advice: 'limit-answer';
  id: number;
  result?: { waitMs?: number; count?: number; token?: string };
  error?: string;
}

/** How long a worker waits for the primary before counting on its own (the primary is busy or gone). */
const ANSWER_WITHIN_MS = 1000;

/**
 * The primary's side: the site's rate limits (logins, comment pace, letters, likes…) kept in one
 * place for every worker of the machine, so that they hold whichever worker a request reaches.
 * `take` gives a token that `undo` takes back within the window.
 */
export function hostLimits(): () => void {
  const limiters = new Map<string, RateLimiter>();
  const undos = new Map<string, { undo: () => void; until: number }>();
  const limiterFor = (limit: LimitAsk['limit']) => {
    const id = `${limit.name}:${limit.limit}:${limit.windowMs}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiter(limit.limit, limit.windowMs);
      limiters.set(id, limiter);
    }
    return limiter;
  };
  const answer = (ask: LimitAsk): LimitAnswer['result'] => {
    const limiter = limiterFor(ask.limit);
    switch (ask.step) {
      case 'retryAfterMs':
        return { waitMs: limiter.retryAfterMs(ask.key) };
      case 'hit':
        limiter.hit(ask.key);
        return {};
      case 'count':
        return { count: limiter.count(ask.key) };
      case 'take': {
        const taken = limiter.take(ask.key);
        if (taken.waitMs > 0) return { waitMs: taken.waitMs };
        const token = randomBytes(8).toString('hex');
        undos.set(token, { undo: taken.undo, until: Date.now() + ask.limit.windowMs });
        return { waitMs: 0, token };
      }
      case 'undo':
        undos.get(ask.token ?? '')?.undo();
        undos.delete(ask.token ?? '');
        return {};
      case 'reset':
        limiter.reset(ask.key);
        return {};
    }
  };
  const onMessage = (worker: Worker, value: unknown) => {
    const ask = value as LimitAsk | null;
    if (ask?.advice !== 'limit') return;
    let reply: LimitAnswer;
    try {
      reply = { advice: 'limit-answer', id: ask.id, result: answer(ask) };
    } catch (err) {
      reply = { advice: 'limit-answer', id: ask.id, error: String(err) };
    }
    if (worker.isConnected()) worker.send(reply);
  };
  cluster.on('message', onMessage);
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [token, entry] of undos) if (entry.until < now) undos.delete(token);
  }, 60000);
  sweeper.unref();
  return () => {
    cluster.off('message', onMessage);
    clearInterval(sweeper);
  };
}

/** A worker's side: each step asked of the primary, answered over the same channel. */
export function limitsFromPrimary(): RemoteLimits {
  if (!cluster.isWorker || !process.send) throw new Error('limits from the primary are asked by a worker');
  const send = process.send.bind(process);
  let next = 0;
  const waiting = new Map<number, (answer: LimitAnswer) => void>();
  process.on('message', (value: unknown) => {
    const answer = value as LimitAnswer | null;
    if (answer?.advice === 'limit-answer') waiting.get(answer.id)?.(answer);
  });
  return {
    step(step, limit, key, token) {
      next += 1;
      const ask: LimitAsk = { advice: 'limit', id: next, step, limit, key, token };
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(ask.id);
          reject(new Error('the primary did not answer'));
        }, ANSWER_WITHIN_MS);
        waiting.set(ask.id, (answer) => {
          clearTimeout(timer);
          waiting.delete(ask.id);
          if (answer.error || !answer.result) reject(new Error(answer.error ?? 'no answer'));
          else resolve(answer.result);
        });
        send(ask, undefined, {}, (err: Error | null) => {
          if (!err) return;
          clearTimeout(timer);
          waiting.delete(ask.id);
          reject(err);
        });
      });
    },
  };
}
