import type { RequestHandler } from 'express';
import { ServiceUnavailableError } from '../errors/index.js';

/**
 * Load shedding: at most `max` requests are handled at once. Past that, a new request gets a
 * quick 503 with Retry-After instead of waiting in a queue that grows with the flood (memory and
 * latency stay bounded, and the requests already admitted finish). Health checks always pass.
 */
export function shedLoad(max: number): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    if (inFlight >= max) {
      return next(
        new ServiceUnavailableError('The site is very busy right now. Please try again in a moment.'),
      );
    }
    inFlight += 1;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
