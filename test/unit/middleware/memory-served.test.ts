import { Writable } from 'node:stream';
import { createLogger } from '../../../server/logger';
import { memoryServed } from '../../../server/middleware/memory-served';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('info', { destination }) };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('memoryServed', () => {
  it('logs how many pages were answered from memory in each interval that had any, less those that fell back to the app', async () => {
    const { lines, logger } = capture();
    const served = memoryServed(logger, 100);
    try {
      served.anonymous();
      served.anonymous();
      served.anonymous();
      served.signedIn();
      served.signedIn();
      served.fellBack();
      await wait(150);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        msg: 'pages answered from memory (not in the request log)',
        servedFromMemory: { anonymous: 3, signedIn: 1 },
        seconds: 0.1,
      });
      // An interval with nothing: no line.
      await wait(120);
      expect(lines).toHaveLength(1);
    } finally {
      served.stop();
    }
  });
});
