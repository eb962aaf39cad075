import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One logger for the process: JSON lines everywhere, except for a person at a terminal in
 * development, who gets them readable (pino-pretty). Tests pass level "silent".
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const base = { level, base: { service: 'advice-column' } };
  if (!options.pretty) return pino(base);
  return pino({
    ...base,
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' },
    },
  });
}
