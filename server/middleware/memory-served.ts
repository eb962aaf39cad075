import type { Logger } from 'pino';

/**
 * Counts the pages answered from memory before Express, which the request log does not see (a log
 * line would cost more than the answer), and logs how many once per interval in which there were
 * any: an operator reading the log still sees the site's traffic.
 */
export function memoryServed(logger: Logger | undefined, everyMs = 60000) {
  let anonymous = 0;
  let signedIn = 0;
  const report = () => {
    if (anonymous || signedIn) {
      logger?.info(
        { servedFromMemory: { anonymous, signedIn }, seconds: everyMs / 1000 },
        'pages answered from memory (not in the request log)',
      );
    }
    anonymous = 0;
    signedIn = 0;
  };
  const timer = logger ? setInterval(report, everyMs) : undefined;
  timer?.unref();
  return {
    anonymous: () => void (anonymous += 1),
    signedIn: () => void (signedIn += 1),
    /** A signed-in page that went to Express after all (it is in the request log). */
    fellBack: () => void (signedIn = Math.max(0, signedIn - 1)),
    stop: () => clearInterval(timer),
  };
}
