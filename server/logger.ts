import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * What is never written to the log: the request log records each request's and response's headers,
 * and a session cookie (or a token) in a log file is a signed-in session for whoever reads it.
 */
const REDACTED = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * One logger for the process: JSON lines everywhere, except for a person at a terminal in
 * development, who gets them readable (pino-pretty). Tests pass level "silent", or a destination.
 */
export function createLogger(
  level: string,
  options: { pretty?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const base = {
    level,
    base: { service: 'advice-column' },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  if (options.destination) return pino(base, options.destination);
  if (!options.pretty) return pino(base);
  return pino({
    ...base,
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' },
    },
  });
}
