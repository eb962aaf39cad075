/**
 * The ceiling for serving a page: a bare Node http server writing the same bytes from memory,
 * plain at /plain and gzip-compressed once (level 6, as our page cache does) at /gzip.
 * argv[2] is the URL of the page to copy. Prints "ready <port> <plain bytes> <gzip bytes>".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

async function main(): Promise<void> {
  const source = process.argv[2];
  const plain = Buffer.from((await fetch(source).then((r) => r.arrayBuffer())) as ArrayBuffer);
  const gzip = gzipSync(plain, { level: 6 });
  const server = createServer((req, res) => {
    const zipped = req.url === '/gzip';
    const body = zipped ? gzip : plain;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': body.length,
      ...(zipped ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`ready ${port} ${plain.length} ${gzip.length}\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
