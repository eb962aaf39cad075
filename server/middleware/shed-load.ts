import type { RequestHandler } from 'express';
import { ServiceUnavailableError, TooManyRequestsError } from '../errors/index.js';
import { addressBlock } from '../lib/ip-hash.js';

/** The share of the budget one client (address) may hold: an eighth, and at least two. */
export function perClientShare(max: number): number {
  return Math.max(2, Math.floor(max / 8));
}

/**
 * Load shedding: at most `max` requests are handled at once, and one client (by address, as the
 * proxy setting reads it) holds at most its share of them. Past that, a new request gets a quick
 * 503 (or 429 for the one client) with Retry-After instead of waiting in a queue that grows with
 * the flood; the requests already admitted finish. A request holds its slot while its body comes
 * in, so the server's request timeout (REQUEST_TIMEOUT_SECONDS) bounds how long a slow body can
 * keep one, and the share bounds how many one client can keep. Health checks always pass.
 */
export function shedLoad(max: number, share = perClientShare(max), behindProxy = false): RequestHandler {
  let inFlight = 0;
  const byClient = new Map<string, number>();
  return (req, res, next) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // A client is its address, an IPv6 one by its /64 (one host has endless addresses there).
    const client = addressBlock(address);
    // A proxy on this machine without TRUST_PROXY makes every reader one loopback client: no share
    // then, rather than the whole site refused past an eighth of the budget (IPv4 or IPv6 loopback).
    const shared = behindProxy || !/^(127\.|::1$|::ffff:127\.)/.test(address);
    const held = byClient.get(client) ?? 0;
    if (shared && held >= share) {
      return next(
        new TooManyRequestsError('Too many requests at once from your address. Please wait a moment.', 2),
      );
    }
    if (inFlight >= max) {
      return next(
        new ServiceUnavailableError('The site is very busy right now. Please try again in a moment.'),
      );
    }
    inFlight += 1;
    byClient.set(client, held + 1);
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
      const left = (byClient.get(client) ?? 1) - 1;
      if (left > 0) byClient.set(client, left);
      else byClient.delete(client);
      req.socket.off('close', release);
    };
    res.once('finish', release);
    res.once('close', release);
    // A pipelined response still queued when its socket dies gets neither event (Node 20): the
    // socket's own close releases it too, so no slot is lost for good.
    req.socket.once('close', release);
    next();
  };
}
